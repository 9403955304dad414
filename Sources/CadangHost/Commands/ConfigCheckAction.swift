import CadangCore

/// `cadang config check`: validates the config and summarises it.
public struct ConfigCheckAction {
    /// Creates the action.
    public init() {}

    /// Validates; problems surface as `ConfigError` (exit 2).
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        // The loader checked every declared rule; building every job catches what a plugin can only
        // see when it is built. Every job is tried, so all such problems are reported at once.
        let builder = JobBuilder(config: config, logger: session.logger)
        var problems = config.problems
        for job in config.jobs where !job.uses(problems: config) {
            do {
                _ = try builder.build(job)
            } catch let error as CadangError {
                problems.append(ConfigDiagnostic(file: session.configPath, position: job.position,
                                                 message: "job '\(job.name)': \(error.message)", hint: error.fix))
            }
        }
        if !problems.isEmpty { throw ConfigError(problems) }
        let counts = PluginKind.allCases.map { kind in
            "\(config.components.filter { $0.kind == kind }.count) \(kind.section)"
        }
        session.say("\(session.configPath): OK — \(counts.joined(separator: ", ")); jobs: \(config.jobs.map(\.name).joined(separator: ", ")); repository \(config.repository.path)")
        return .success
    }
}
