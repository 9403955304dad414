import ArgumentParser
import CadangCore
import CadangHost

/// `cadang key generate|check`.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Make and check the age keys that open encrypted archives.",
        discussion: """
            A targz sink with 'encrypt: { recipients: [age1…] }' encrypts each archive to those public keys; \
            only the matching private key opens it. Keep the private key off the shop computer: on a second \
            drive, with its recovery card. The passphrase is typed on the terminal, or taken from \
            CADANG_KEY_PASSPHRASE.
            """,
        subcommands: [Generate.self, Check.self])

    struct Generate: ParsableCommand, CadangAction {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a new passphrase-protected key file and print its recovery card and config line.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Where the key file goes, e.g. on a second drive (default: cadang-key-DATE.age here).", valueName: "FILE"))
        var out: String?

        @Flag(help: "Print the key file's path and public key as JSON instead of the card.")
        var json = false

        func perform() throws -> ExitStatus {
            try KeyGenerateAction(output: out, json: json).execute(in: global.session(progress: false))
        }
    }

    struct Check: ParsableCommand, CadangAction {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Prove the key opens the newest encrypted archive, and record the date ('run' warns after 90 days).")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The key file.", valueName: "KEY"))
        var identity: String

        @Flag(help: "Print the result as JSON.")
        var json = false

        func perform() throws -> ExitStatus {
            try KeyCheckAction(identity: identity, json: json).execute(in: global.session(progress: false))
        }
    }
}
