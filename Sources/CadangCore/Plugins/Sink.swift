import Foundation

/// Writes datasets: table exports into the set being staged, and/or a packed copy of the sealed set.
public protocol Sink: Plugin {
    /// Extension of the table artifacts it writes (`csv`), or `nil` when it writes none.
    var fileExtension: String? { get }
    /// Which columns its exports carry.
    var audience: Column.Audience { get }
    /// Starts writing one table into `artifact`.
    func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter
    /// Called once the set is committed, for sinks that copy or pack whole sets.
    func didCommit(_ set: BackupSet, warnings: WarningLog) throws
    /// `didCommit` with the job's earlier sets (oldest first), for sinks that catch up on copies
    /// missed while their destination was away. The default calls `didCommit(_:warnings:)`.
    func didCommit(_ set: BackupSet, earlier: [BackupSet], warnings: WarningLog) throws
    /// Copies of `set` this sink made elsewhere (e.g. archives on a drive), for `cadang list`.
    func archivedCopies(of set: BackupSet) -> [URL]
}

extension Sink {
    public var fileExtension: String? { nil }
    public var audience: Column.Audience { .everyone }
    public func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        throw CadangError(.failure, "sink '\(Self.descriptor.name)' does not write tables")
    }
    public func didCommit(_ set: BackupSet, warnings: WarningLog) throws {}
    public func didCommit(_ set: BackupSet, earlier: [BackupSet], warnings: WarningLog) throws {
        try didCommit(set, warnings: warnings)
    }
    public func archivedCopies(of set: BackupSet) -> [URL] { [] }
}

/// Receives one table's batches. The engine calls `write` for each batch, then `finish` once.
///
/// Threads: each table writer's `write` calls run on a thread of their own (one per sink, so a
/// job's sinks format the same batches at once), one call at a time and in batch order; the
/// sink's `makeTableWriter` and the writer's `finish` run on the engine's thread, before the
/// first and after the last `write`. A writer may keep per-table state unguarded, but state shared
/// between writers, or with the sink, needs a lock. The batch passed to `write` is valid only
/// during the call: the engine refills its buffer afterwards.
public protocol TableWriter: AnyObject {
    /// Writes every row of the batch.
    func write(_ batch: RowBatch) throws
    /// Writes any trailer; the engine then closes and records the artifact.
    func finish() throws
}
