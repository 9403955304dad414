import Foundation

/// A source whose snapshot dataset can be put back in place of the live data (kasir: the database).
/// The core does the generic part (pick, verify, the before-restore set, the rename path, who has
/// the file open); the plugin knows its format and, if it can, how to restore into the live file.
public protocol RestorableSource: Source {
    /// The dataset holding the snapshot, e.g. `database`.
    var restorableDataset: String { get }
    /// The live file a restore replaces unless told otherwise.
    var restoreTarget: URL { get }
    /// The menu entry that restores it, in `language` (e.g. "Restore the database kasir.db
    /// (pulihkan database)", or "Pulihkan database kasir.db").
    func restoreMenuLabel(_ language: Language) -> String
    /// Files that belong to the target and go stale with it (e.g. `-journal`, `-wal`, `-shm`).
    func companions(of target: URL) -> [URL]
    /// Format checks beyond the SHA-256 (e.g. `quick_check`); throws `CadangError(.damaged, …)`.
    func checkSnapshot(_ snapshot: URL) throws
    /// Makes sure no other program is using `target` and keeps it that way until the claim is
    /// released; throws when it is in use, unless `force`. Used by the rename path.
    func claim(_ target: URL, force: Bool) throws -> any RestoreClaim
    /// How `target` would be restored from `snapshot`, for the plan. Default: by rename.
    func restoreApproach(for target: URL, snapshot: URL) -> RestoreApproach
    /// Puts the verified snapshot `steps.plan.snapshot` in place of `steps.plan.target`, with the
    /// repository lock held, saving what is there first through `steps`. Default: the rename path,
    /// `steps.replaceByRename(because: nil)`.
    func putBack(_ steps: RestoreSteps) throws -> RestoreOutcome
}

extension RestorableSource {
    public func restoreApproach(for target: URL, snapshot: URL) -> RestoreApproach { .rename(reason: nil) }

    public func putBack(_ steps: RestoreSteps) throws -> RestoreOutcome {
        try steps.replaceByRename(because: nil)
    }
}

/// Exclusive use of a restore target, held until `release()`.
public protocol RestoreClaim: AnyObject {
    /// Gives the target back.
    func release()
}
