/// What one job run ended with.
public enum RunOutcome {
    /// A set was committed; `status` is `success` or `partial` (warnings about skipped data).
    case committed(BackupSet, warnings: [String], status: ExitStatus)
    /// A policy decided no set was needed.
    case skipped(reason: String)
    /// The set was committed, but a sink that copies whole sets failed (e.g. the drive is not
    /// mounted); the set stays, and after-commit policies did not run.
    case committedButSinkFailed(BackupSet, warnings: [String], error: CadangError)

    /// The exit status this outcome maps to.
    public var status: ExitStatus {
        switch self {
        case .committed(_, _, let status): status
        case .skipped: .success
        case .committedButSinkFailed(_, _, let error): error.status
        }
    }
}
