import CadangCore

/// `cadang config check`: validates the config and summarises it.
public struct ConfigCheckAction {
    /// Creates the action.
    public init() {}

    /// Validates; problems surface as `ConfigError` (exit 2).
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        // Building every job catches what only plugins can see (e.g. an option combination).
        let builder = JobBuilder(config: config, logger: session.logger)
        for job in config.jobs { _ = try builder.build(job) }
        let counts = PluginKind.allCases.map { kind in
            "\(config.components.filter { $0.kind == kind }.count) \(kind.section)"
        }
        session.say("\(session.configPath): OK — \(counts.joined(separator: ", ")); jobs: \(config.jobs.map(\.name).joined(separator: ", ")); repository \(config.repository.path)")
        return .success
    }
}
