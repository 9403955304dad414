/// A sink that writes outside the set (a database, a remote): what it wrote becomes visible when the
/// set is committed, and is rolled back when the set is dropped.
///
/// Contract, per run of a job: `beginRun` before the first table; then its table writers; then
/// either `prepareCommit` (everything written and durable but not yet visible) followed, once the
/// set is listed, by `commit`, or `rollback` (a failed or skipped run; also after a failed
/// `prepareCommit`). A failing `commit` leaves the set listed and is reported as that sink's failure.
public protocol TransactionalSink: Sink {
    /// Starts the run's transaction; `setID` is the id the set will have.
    func beginRun(setID: String) throws
    /// Everything is written: make it durable, not yet visible.
    func prepareCommit() throws
    /// The set is listed: make the writes visible.
    func commit() throws
    /// The run failed or was dropped: undo the writes.
    func rollback()
}
