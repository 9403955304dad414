import ArgumentParser
import CadangCore
import CadangHost
import Foundation
import Synchronization

/// The `cadang` command tree. The executable calls `main(registry:)` with the built-in plugins.
public struct CadangCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cadang",
        abstract: "Consistent, verified backups: sources → policies → sinks, described by a config file.",
        version: Session.version,
        subcommands: [InitCommand.self, RunCommand.self, ListCommand.self, VerifyCommand.self, RestoreCommand.self, PruneCommand.self, StatsCommand.self, KeyCommand.self,
                      PluginsCommand.self, ConfigCommand.self, MenuCommand.self, ServeCommand.self, ScheduleCommand.self])

    public init() {}

    private static let current = Mutex(PluginRegistry([]))
    static var registry: PluginRegistry { current.withLock { $0 } }

    /// Parses the arguments, runs the command, and exits with DESIGN.md's exit codes.
    public static func main(registry: PluginRegistry, arguments: [String]? = nil) -> Never {
        current.withLock { $0 = registry }
        do {
            let given = arguments ?? Array(CommandLine.arguments.dropFirst())
            var command = try parseAsRoot(GlobalOptionPlacement.arranged(given, root: self))
            if let action = command as? CadangAction {
                Foundation.exit(ExitStatus.run { try action.perform() }.rawValue)
            }
            try command.run()
            Foundation.exit(0)
        } catch {
            // Help and version requests are "errors" to the parser; they exit 0.
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}

/// A subcommand that reports an `ExitStatus`.
protocol CadangAction {
    func perform() throws -> ExitStatus
}

extension ExitStatus {
    /// Runs `body`, printing typed errors as one line each on standard error.
    static func run(_ body: () throws -> ExitStatus) -> ExitStatus {
        ErrorReport.printing(body)
    }
}
