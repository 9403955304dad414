import ArgumentParser
import CadangHost
import Logging

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: $CADANG_CONFIG or ./cadang.yaml).")
    var config: String?

    @Flag(name: .long, help: "Print only errors.")
    var quiet = false

    @Flag(name: .long, help: "Print progress details.")
    var verbose = false

    /// The session for this invocation, with logging wired once.
    func session() -> Session {
        let level: Logger.Level = quiet ? .error : (verbose ? .debug : .notice)
        LoggingBootstrap.once(level: level)
        return Session(registry: CadangCommand.registry, configPath: config, quiet: quiet)
    }
}
