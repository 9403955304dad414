import CadangCore
import Foundation
import SQLiteSupport

extension KasirSource: RestorableSource, OperatingSource {
    public var restorableDataset: String { "database" }
    public var restoreTarget: URL { database }
    public func restoreMenuLabel(_ language: Language) -> String {
        language.pick("Restore the database \(database.lastPathComponent) (pulihkan database)",
                      "Pulihkan database \(database.lastPathComponent) dari backup")
    }

    /// The operations of `descriptor`: restore only (a set's files are checked by `verify` as for
    /// every job, the snapshot through `ArtifactChecking`).
    static let operations = [
        OperationSpec(.restore, summary: "Puts a database snapshot back in place of the live file, after saving the live one as a before-restore set.",
                      locking: .operation),
    ]

    /// How the restore goes in place, for the plan and the output.
    static let inPlaceHow = "through SQLite's online backup API"

    public func perform(_ verb: OperationVerb, context: OperationContext) throws -> OperationResult {
        guard verb == .restore else {
            throw CadangError(.failure, "source '\(context.source)' (kasir-sqlite) has no \(verb.rawValue) operation")
        }
        return try SnapshotRestore(source: self).perform(context)
    }

    public func companions(of target: URL) -> [URL] {
        ["-journal", "-wal", "-shm"].map { URL(fileURLWithPath: target.path + $0) }
    }

    public func checkSnapshot(_ snapshot: URL) throws {
        let problems = SQLiteFileCheck.problems(of: snapshot)
        guard problems.isEmpty else {
            throw CadangError(.damaged, "snapshot \(snapshot.path) is damaged: \(problems.joined(separator: "; "))",
                              fix: "restore from another set")
        }
    }

    public func claim(_ target: URL, force: Bool) throws -> any RestoreClaim {
        do {
            return KasirClaim(try SQLiteFileClaim(path: target.path))
        } catch let error as CadangError where force {
            logger.warning("restoring anyway (--force): \(error.message)")
            return KasirClaim(nil)
        }
    }

    public func restoreApproach(for target: URL, snapshot: URL) -> RestoreApproach {
        let live = SQLiteLiveRestore(target: target, snapshot: snapshot, busyTimeout: busyTimeout)
        switch Result(catching: live.assess) {
        case .success(.usable(let wal)):
            return .inPlace(how: Self.inPlaceHow, saves: savedInPlace(target, wal: wal))
        case .success(.busy):
            return .inPlace(how: Self.inPlaceHow + " (once the sale in progress is done; it waits up to \(DurationText.seconds(busyTimeout)))",
                            saves: savedInPlace(target, wal: false))
        case .success(.unusable(let reason)):
            return .rename(reason: reason)
        case .failure(let error):
            return .rename(reason: "it cannot be checked (\(error))")
        }
    }

    /// A sound database goes back through SQLite into the live file; a missing or unusable one by
    /// the core's rename path, which refuses while a program has the file open.
    public func putBack(_ steps: RestoreSteps) throws -> RestoreOutcome {
        let target = steps.plan.target
        guard FileSystem.exists(target) else { return try steps.replaceByRename(because: nil) }
        let live = SQLiteLiveRestore(target: target, snapshot: steps.plan.snapshot, busyTimeout: busyTimeout)
        let wal: Bool
        switch try live.assess() {
        case .unusable(let reason): return try steps.replaceByRename(because: reason)
        case .busy: return try whileBusy(steps)
        case .usable(let isWAL): wal = isWAL
        }
        do {
            var holders = OpenFileHolders.Scan.none
            var timing = SQLiteLiveRestore.Timing()
            let safety = try live.restore(wal: wal, timing: &timing) { files in
                // Looked at under the lock: exactly the programs that will see the restored data.
                holders = steps.holders()
                return try steps.saveSafetySet(files)
            }
            logger.debug("restore into \(target.path): waited \(DurationText.seconds(timing.lockWait)) for the write lock, then held it \(DurationText.seconds(timing.save + timing.copy)) (before-restore set \(DurationText.seconds(timing.save)), copy \(DurationText.seconds(timing.copy)))")
            return RestoreOutcome(method: .inPlace(how: Self.inPlaceHow), safety: safety, holders: holders)
        } catch is SQLiteLiveRestore.Busy {
            return try whileBusy(steps)
        }
    }

    /// The app kept the database locked for all of `busy_timeout`: refused, or with `--force` the
    /// rename path (which cannot wait for the lock and leaves the app on the old file).
    private func whileBusy(_ steps: RestoreSteps) throws -> RestoreOutcome {
        let target = steps.plan.target
        let scan = steps.holders()
        let by = scan.holders.isEmpty ? "another program" : scan.names()
        guard steps.force else {
            throw CadangError(.failure, "\(target.path) is in use: \(by) kept it locked (a sale in progress?) for \(DurationText.seconds(busyTimeout))",
                              fix: "run the restore again when the sale is done, or raise the source's busy_timeout; --force replaces the file by rename anyway, and the app must then be restarted")
        }
        steps.logger.warning("restoring anyway (--force): \(target.path) is locked by \(by); replacing it by rename")
        return try steps.replaceByRename(because: "--force while \(by) kept it locked")
    }

    /// What the in-place restore saves first: the database (in WAL mode a copy that includes what
    /// the -wal holds) and a leftover rollback journal.
    private func savedInPlace(_ target: URL, wal: Bool) -> [URL] {
        let journal = URL(fileURLWithPath: target.path + "-journal")
        return wal || !FileSystem.exists(journal) ? [target] : [target, journal]
    }
}

/// The claim on the live database, held until the restore is done.
final class KasirClaim: RestoreClaim {
    private let claim: SQLiteFileClaim?
    init(_ claim: SQLiteFileClaim?) { self.claim = claim }
    func release() { claim?.release() }
}
