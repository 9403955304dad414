/// How a job's run ended, as hooks (`CADANG_STATUS`) and monitors see it.
public enum RunState: String, Sendable, CaseIterable, Codable {
    /// A set was committed and nothing was skipped.
    case success
    /// A set was committed with warnings (exit 3).
    case partial
    /// No set: nothing changed, the destination was away (exit 75), or a `before` hook said skip.
    case skipped
    /// The run failed.
    case fail

    /// The state of a run that ended with `status` (a committed set or not).
    public init(exitStatus status: ExitStatus, committed: Bool) {
        switch status {
        case .success: self = committed ? .success : .skipped
        case .partial: self = .partial
        case .unavailable: self = .skipped
        default: self = .fail
        }
    }
}
