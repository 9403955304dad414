import CadangCore
import Foundation
import SQLiteSupport

extension KasirSource: RestorableSource {
    public var restorableDataset: String { "database" }
    public var restoreTarget: URL { database }

    public func companions(of target: URL) -> [URL] {
        ["-journal", "-wal", "-shm"].map { URL(fileURLWithPath: target.path + $0) }
    }

    public func checkSnapshot(_ snapshot: URL) throws {
        let problems: [String]
        do {
            problems = try SQLiteDatabase(path: snapshot.path, mode: .immutable).quickCheck()
        } catch {
            throw CadangError(.damaged, "snapshot \(snapshot.path) is damaged: SQLite cannot read it", fix: "restore from another set")
        }
        guard problems.isEmpty else {
            throw CadangError(.damaged, "snapshot \(snapshot.path) is damaged: quick_check found \(problems.prefix(3).joined(separator: "; "))",
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
