import CadangCore
import Foundation
import SQLiteSupport

extension KasirSource: RestorableSource, OperatingSource {
    public var restorableDataset: String { "database" }
    public var restoreTarget: URL { database }
    public var restoreMenuLabel: String { "Restore the database \(database.lastPathComponent) (pulihkan database)" }

    /// The operations of `descriptor`: restore only (a set's files are checked by `verify` as for
    /// every job, the snapshot through `ArtifactChecking`).
    static let operations = [
        OperationSpec(.restore, summary: "Puts a database snapshot back in place of the live file, after saving the live one as a before-restore set.",
                      locking: .operation),
    ]

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
}

/// The claim on the live database, held until the restore is done.
final class KasirClaim: RestoreClaim {
    private let claim: SQLiteFileClaim?
    init(_ claim: SQLiteFileClaim?) { self.claim = claim }
    func release() { claim?.release() }
}
