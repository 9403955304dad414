import ArgumentParser
import CadangCore
import CadangHost

struct VerifyCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-read backup sets: every file's size and SHA-256, and a quick_check of each database snapshot.")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var operation: OperationWords

    var job: String? { operation.job }

    var operationOptions: [String: String] { operation.options }

    @Option(name: .customLong("set"), help: "Only this set: an id from 'cadang list', or 'latest'.")
    var set: String?

    @Option(name: .customLong("archive"), help: "Check this archive (e.g. on a USB drive) against the manifest inside it instead.")
    var archive: String?

    @Option(help: ArgumentHelp("With --archive: the key file that opens an encrypted archive (without it, only the archive's .sha256 is checked).", valueName: "KEY"))
    var identity: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        if archive != nil && (job != nil || set != nil) {
            throw ValidationError("--archive checks one archive file; it does not take a job or --set")
        }
        if identity != nil && archive == nil { throw ValidationError("--identity opens an encrypted archive: use it with --archive FILE") }
    }

    func perform() throws -> ExitStatus {
        if let archive { return try ArchiveVerifyAction(archive: archive, identity: identity, json: json).execute(in: global.session(progress: !json)) }
        return try VerifyAction(job: job, setID: set, json: json, operationOptions: operationOptions).execute(in: global.session(progress: !json))
    }
}
