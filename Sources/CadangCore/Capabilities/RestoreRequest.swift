/// The generic flags of `cadang restore`, for a source's restore operation.
public struct RestoreRequest: Sendable {
    /// Where the backup comes from.
    public enum Origin: Sendable {
        /// A set of the repository: its id, or `nil` for the newest one that holds what is restored.
        case repository(setID: String?)
        /// A set unpacked from an archive (`--from-archive`), already checked entry by entry.
        case archive(BackupSet, path: String)
    }

    /// Where the backup comes from.
    public var origin: Origin
    /// `--to`: restore here instead of the source's own place.
    public var destination: String?
    /// `--force`: go ahead even where a check refuses (e.g. the target is in use).
    public var force: Bool
    /// `cadang <version>`, for manifests a restore writes (e.g. the safety set).
    public var tool: String

    /// Creates a request.
    public init(origin: Origin, destination: String?, force: Bool, tool: String) {
        self.origin = origin
        self.destination = destination
        self.force = force
        self.tool = tool
    }
}
