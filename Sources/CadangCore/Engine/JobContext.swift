import Foundation

/// What policies see of a run.
public struct JobContext {
    /// Job name.
    public var job: String
    /// The repository being written.
    public var repository: Repository
    /// The set's time.
    public var time: Date
    /// `--force`: write even if a policy would skip.
    public var force: Bool
    /// The run's warnings.
    public var warnings: WarningLog

    /// Creates a context.
    public init(job: String, repository: Repository, time: Date, force: Bool, warnings: WarningLog) {
        self.job = job
        self.repository = repository
        self.time = time
        self.force = force
        self.warnings = warnings
    }
}
