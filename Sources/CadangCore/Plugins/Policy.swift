/// Decides before a run whether to write a set, and after a commit what old sets to let go.
public protocol Policy: Plugin {
    /// Asked before sources are opened.
    func beforeRun(_ context: JobContext) throws -> RunDecision
    /// Asked after the job's set was committed (never after a failed run).
    func afterCommit(_ set: BackupSet, context: JobContext) throws
}

extension Policy {
    public func beforeRun(_ context: JobContext) throws -> RunDecision { .proceed }
    public func afterCommit(_ set: BackupSet, context: JobContext) throws {}
}

/// A policy's answer before a run.
public enum RunDecision: Sendable, Equatable {
    case proceed
    /// Write no set; the reason is printed (e.g. "unchanged since <id>").
    case skip(reason: String)
}
