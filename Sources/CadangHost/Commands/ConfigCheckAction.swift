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
        let count = { (kind: PluginKind) in config.components.filter { $0.kind == kind }.count }
        session.say("\(session.configPath): OK — \(count(.source)) source(s), \(count(.sink)) sink(s), \(count(.policy)) polic(ies), jobs: \(config.jobs.map(\.name).joined(separator: ", ")); repository \(config.repository.path)")
        return .success
    }
}
