/// Decides before a run whether to write a set, which records a set needs, and after a commit what
/// old sets to let go.
public protocol Policy: Plugin {
    /// Asked before sources are opened.
    func beforeRun(_ context: JobContext) throws -> RunDecision
    /// Joins one run that is about to write a set (sources not opened yet); `nil` when the policy
    /// has nothing to do during runs.
    func begin(_ run: RunContext) throws -> (any PolicyRun)?
    /// Asked after the job's set was committed (never after a failed run).
    func afterCommit(_ set: BackupSet, context: JobContext) throws
}

extension Policy {
    public func beforeRun(_ context: JobContext) throws -> RunDecision { .proceed }
    public func begin(_ run: RunContext) throws -> (any PolicyRun)? { nil }
    public func afterCommit(_ set: BackupSet, context: JobContext) throws {}
}

/// A policy's part in one run, from the moment the set is staged until it is committed or dropped.
/// The engine calls `beforeWrite` once, `rowFilter` per table, then either `prepareCommit` (and
/// commits the set) or `abandon`.
public protocol PolicyRun: AnyObject {
    /// Asked once every source is open, before anything is written; `.skip` drops the run (ignored
    /// under `--force`).
    func beforeWrite(_ sources: [OpenedSource]) throws -> RunDecision
    /// Per record: a filter that removes rows the set need not hold, or `nil` to keep every row.
    func rowFilter(for table: TableSchema, source: String) throws -> (any RowFilter)?
    /// Everything is written; make the run's own state durable before the set is committed. State
    /// made durable here must count only once the set is listed (a crash may come in between).
    func prepareCommit() throws
    /// The run failed or was skipped: forget its state.
    func abandon()
}

extension PolicyRun {
    public func beforeWrite(_ sources: [OpenedSource]) throws -> RunDecision { .proceed }
    public func rowFilter(for table: TableSchema, source: String) throws -> (any RowFilter)? { nil }
    public func prepareCommit() throws {}
    public func abandon() {}
}

/// Removes the rows of a batch that the set need not hold.
public protocol RowFilter: AnyObject {
    /// What decides, for the manifest (e.g. the key column).
    var key: String { get }
    /// Removes the unwanted rows of `batch`, keeping the order of the rest.
    func filter(_ batch: inout RowBatch) throws
}

/// A policy's answer before a run.
public enum RunDecision: Sendable, Equatable {
    case proceed
    /// Write no set; the reason is printed (e.g. "unchanged since <id>").
    case skip(reason: String)
}
