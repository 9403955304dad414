import ArgumentParser

/// Lets the global options stand before the subcommand (`cadang --config F run auto`), as in
/// restic, borg and git, by moving them to just after it (`cadang run --config F auto`): that is
/// where ArgumentParser looks for them, since every subcommand declares them (`GlobalOptions`).
/// Moving, rather than declaring them again on the root, keeps one meaning for both positions.
enum GlobalOptionPlacement {
    /// `GlobalOptions`' options that take a value: `--config F` or `--config=F`.
    static let valued = ["--config"]
    /// `GlobalOptions`' flags.
    static let flags = ["--quiet", "--verbose"]

    /// `arguments` (without the program name) with the global options that come before or between
    /// the subcommand names moved after them. Only that leading run is looked at: anything after
    /// the first other word (a job, another option, `--`) is left as it is, so values such as
    /// `--config run` (a file named `run`) or `restore --to --quiet` keep their meaning.
    static func arranged(_ arguments: [String], root: ParsableCommand.Type) throws -> [String] {
        var command = root
        var path: [String] = []
        var globals: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let word = arguments[index]
            if flags.contains(word) || valued.contains(where: { word.hasPrefix($0 + "=") }) {
                globals.append(word)
            } else if valued.contains(word) {
                // The next word is the value whatever it looks like, so `--config list run` runs with the config file `list`.
                guard index + 1 < arguments.endIndex else {
                    if path.isEmpty { throw ValidationError("Missing value for '\(word) <\(word.dropFirst(2))>'") }
                    // After a subcommand, ArgumentParser says so itself, with that subcommand's usage.
                    return path + globals + [word]
                }
                globals += [word, arguments[index + 1]]
                index += 1
            } else if let subcommand = command.configuration.subcommands.first(where: { named(word, $0) }) {
                path.append(word)
                command = subcommand
            } else {
                break
            }
            index += 1
        }
        if globals.isEmpty { return arguments }
        if path.isEmpty && index == arguments.endIndex {
            throw ValidationError("global options go with a subcommand, e.g. 'cadang --config cadang.yaml run'")
        }
        // Without a subcommand (`cadang --quiet --help`, `cadang --quiet help run`, `cadang --quiet backup`)
        // they would change nothing, so ArgumentParser answers the rest as it would without them.
        if path.isEmpty { return Array(arguments[index...]) }
        return path + globals + arguments[index...]
    }

    /// Whether `word` names `command`, by its name or an alias (`cleanup` for `prune`).
    private static func named(_ word: String, _ command: ParsableCommand.Type) -> Bool {
        // `_commandName` is the name ArgumentParser itself matches: the configured one, or one derived from the type.
        word == command._commandName || command.configuration.aliases.contains(word)
    }
}
