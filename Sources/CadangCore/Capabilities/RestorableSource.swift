import Foundation

/// A source whose snapshot dataset can be put back in place of the live data (kasir: the database).
/// The core does the generic part (pick, verify, save what is there, replace atomically); the
/// plugin knows its format.
public protocol RestorableSource: Source {
    /// The dataset holding the snapshot, e.g. `database`.
    var restorableDataset: String { get }
    /// The live file a restore replaces unless told otherwise.
    var restoreTarget: URL { get }
    /// The menu entry that restores it, e.g. "Restore the database kasir.db (pulihkan database)".
    var restoreMenuLabel: String { get }
    /// Files that belong to the target and go stale with it (e.g. `-journal`, `-wal`, `-shm`).
    func companions(of target: URL) -> [URL]
    /// Format checks beyond the SHA-256 (e.g. `quick_check`); throws `CadangError(.damaged, …)`.
    func checkSnapshot(_ snapshot: URL) throws
    /// Makes sure no other program is using `target` and keeps it that way until the claim is
    /// released; throws when it is in use, unless `force`.
    func claim(_ target: URL, force: Bool) throws -> any RestoreClaim
}

/// Exclusive use of a restore target, held until `release()`.
public protocol RestoreClaim: AnyObject {
    /// Gives the target back.
    func release()
}
