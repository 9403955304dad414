/// Process exit codes, the contract of DESIGN.md §5.
public enum ExitStatus: Int32, Sendable, Codable {
    case success = 0
    case failure = 1
    /// Usage or config error.
    case usage = 2
    /// The set was committed but something was skipped, with warnings.
    case partial = 3
    /// Verification found damage.
    case damaged = 4
    /// Another process holds the repository lock.
    case locked = 11
    /// The destination is not available (e.g. a drive not mounted); a scheduler may retry.
    case unavailable = 75
}
