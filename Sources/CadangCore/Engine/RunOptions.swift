import Foundation

/// How to run a job.
public struct RunOptions: Sendable {
    /// The time to record instead of now (`--time`).
    public var time: Date?
    /// Write even when a policy would skip (`--force`).
    public var force: Bool
    /// Seconds to wait for the repository lock; `nil` fails at once.
    public var lockWait: Double?
    /// Recorded in the lock file, e.g. `cadang run auto`.
    public var command: String
    /// Receives each reporting source's run report (source name, report) before the set is committed.
    public var report: (@Sendable (String, SourceRunReport) -> Void)?

    /// Creates options.
    public init(time: Date? = nil, force: Bool = false, lockWait: Double? = nil, command: String = "cadang run",
                report: (@Sendable (String, SourceRunReport) -> Void)? = nil) {
        self.time = time
        self.force = force
        self.lockWait = lockWait
        self.command = command
        self.report = report
    }
}
