import Foundation

/// A source's own folder in the repository, `state/<source name>/`, for records it keeps between
/// runs (e.g. an order store). Created, mode 0700, on first use.
public struct SourceState: Sendable {
    /// The folder; it may not exist yet.
    public let directory: URL

    /// Names the folder of `source` in `repository`.
    public init(repository: Repository, source: String) {
        directory = repository.stateDirectory.appendingPathComponent(source, isDirectory: true)
    }

    /// The folder, created if missing.
    public func prepare() throws -> URL {
        try FileSystem.makeDirectory(directory.deletingLastPathComponent())
        try FileSystem.makeDirectory(directory)
        return directory
    }
}

/// A snapshot whose source keeps state that must count only once the set is listed.
///
/// Contract: the engine calls `prepareCommit()` once every dataset is written and before the set is
/// committed; state made durable there must be tagged with the run's set id (`SourceRequest.setID`)
/// and count only once a set of that id is listed, because a crash may come between the two. On any
/// failure or skip the engine calls `abandon()` instead — also when the commit itself fails after
/// `prepareCommit()`, and possibly after `close()`.
public protocol CommittingSnapshot: SourceSnapshot {
    /// Makes the run's state durable, before the set is committed.
    func prepareCommit() throws
    /// The run failed or was skipped: forget its state.
    func abandon()
}
