import CadangCore

/// `cadang stats [JOB] [--json]`: what the job's sources can tell about their data — the stats
/// operation of each of its sources (every source of the config without JOB) that has one.
public struct StatsAction {
    /// Only this job's sources.
    public var job: String?
    /// `--json`: one object, each source's report under its name.
    public var json: Bool
    /// Options for the stats operations (e.g. `html` → a file).
    public var operationOptions: [String: String]

    /// Creates the action.
    public init(job: String?, json: Bool, operationOptions: [String: String] = [:]) {
        self.job = job
        self.json = json
        self.operationOptions = operationOptions
    }

    /// Prints the statistics.
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        if let job, config.job(named: job) == nil {
            throw CadangError(.usage, "\(session.configPath) has no job named '\(job)'",
                              fix: "jobs: \(config.jobs.map(\.name).joined(separator: ", "))")
        }
        let runner = OperationRunner(config: config, session: session)
        let participants = try runner.participants(.stats, job: job)
        guard !participants.isEmpty else {
            _ = try runner.validate(operationOptions, for: [], verb: .stats)
            if json {
                try JSONOutput.print(MergedReport(parts: []))
            } else {
                session.say("no source of \(job.map { "job '\($0)'" } ?? "the config") has statistics")
            }
            return .success
        }
        let outcomes = try runner.run(.stats, participants, job: job, options: operationOptions, flags: .init(json: json))
        if json { try JSONOutput.print(MergedReport(parts: OperationRunner.reportParts(outcomes))) }
        return OperationRunner.status(outcomes)
    }
}
