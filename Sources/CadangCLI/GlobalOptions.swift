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

    /// The session for this invocation, with logging wired once; `progress: false` for `--json`
    /// output and the server, where a line drawn in place has no reader.
    func session(progress: Bool = true) -> Session {
        let level: Logger.Level = quiet ? .error : (verbose ? .debug : .notice)
        LoggingBootstrap.once(level: level)
        TerminalProgress.install(wanted: progress && !quiet)
        return Session(registry: CadangCommand.registry, configPath: config, quiet: quiet)
    }
}
