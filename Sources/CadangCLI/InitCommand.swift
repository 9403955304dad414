import ArgumentParser
import CadangCore
import CadangHost

struct InitCommand: ParsableCommand, CadangAction {
    /// Computed, so the abstract names the starters of the registry `main` was given.
    static var configuration: CommandConfiguration {
        let keys = CadangCommand.registry.starters.map { "--\($0.starterKey)" }
        return CommandConfiguration(
            commandName: "init",
            abstract: "Write a commented starter config" + (keys.isEmpty ? "." : " (\(keys.joined(separator: ", "))) for a source plugin."))
    }

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp(InitWords.help(CadangCommand.registry.starters), valueName: "--starter value"))
    var words: [String] = []

    @Option(help: "Where backup sets are kept (default: ./backups).")
    var repository: String?

    @Option(help: "Also pack every set of the main job into a .tar.gz in this folder, e.g. on a USB drive (/media/...: only while the drive is mounted).")
    var archive: String?

    @Flag(help: "Replace an existing config file.")
    var force = false

    func validate() throws {
        _ = try InitWords(parsing: words)
    }

    func perform() throws -> ExitStatus {
        // Which starter the words name, and whether it takes the rest, is the host's to decide.
        try InitAction(given: try InitWords(parsing: words).options, repository: repository, archive: archive, force: force)
            .execute(in: global.session())
    }
}

/// The words of `cadang init` beside its own options: `--NAME VALUE` or `--NAME=VALUE`, every one
/// with a value (the next word, whatever it looks like): a starter key (`--kasir DB`) and that
/// starter's options (see `StarterConfigProviding`).
struct InitWords: Equatable {
    /// The values by name (`--kasir x` → `kasir: x`).
    var options: [String: String] = [:]

    init(parsing words: [String]) throws {
        var index = words.startIndex
        while index < words.endIndex {
            let word = words[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                throw ValidationError(word.hasPrefix("-") ? "Unknown option '\(word)'" : "Unexpected argument '\(word)'")
            }
            let body = word.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            guard !name.isEmpty else { throw ValidationError("'\(word)' has no option name") }
            guard options[name] == nil else { throw ValidationError("'--\(name)' is given twice") }
            if name.count < body.count {
                options[name] = String(body.dropFirst(name.count + 1))
            } else if index < words.endIndex {
                options[name] = words[index]
                index += 1
            } else {
                throw ValidationError("Missing value for '--\(name)'")
            }
        }
    }

    /// The help of these words: each starter and its options.
    static func help(_ starters: [any StarterConfigProviding.Type]) -> String {
        guard !starters.isEmpty else { return "This build has no starter configs." }
        return "One of: " + starters.map { starter in
            let own = starter.starterOptions.map { " [--\($0.name) \($0.valueName): \($0.help)]" }.joined()
            return "--\(starter.starterKey) VALUE: \(starter.starterHelp)\(own)"
        }.joined(separator: "; ") + "."
    }
}
