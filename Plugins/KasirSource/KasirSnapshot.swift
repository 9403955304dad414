import CadangCore
import Foundation
import SQLiteSupport

/// One instant of the kasir database: a backup-API copy checked with `quick_check`, from which
/// every export is read.
final class KasirSnapshot: SourceSnapshot {
    private let request: SourceRequest
    private let snapshot: SQLiteDatabase
    private let snapshotURL: URL
    private var pending: [String]
    private var emittedFile = false
    let description: String

    /// Names of the datasets, in emission order.
    static let seedExports = ["produk", "transaksi", "transaksi_item"]

    init(database: URL, busyTimeout: Double, request: SourceRequest) throws {
        self.request = request
        let path = database.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CadangError(.failure, "database \(path) does not exist", fix: "check the 'database' path of the kasir source in the config")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CadangError(.failure, "database \(path) cannot be read", fix: "check the file's permissions")
        }
        snapshotURL = request.scratchDirectory.appendingPathComponent("kasir.db")
        let live = try SQLiteDatabase(path: path, mode: .readOnly, busyTimeout: busyTimeout)
        try live.backup(to: snapshotURL.path)
        snapshot = try SQLiteDatabase(path: snapshotURL.path, mode: .immutable)
        // transaksi is ordered by tanggal, which has no index: one helper thread lets SQLite's
        // sorter merge its runs while this thread writes rows (measured ~1 s less per million rows).
        try snapshot.execute("PRAGMA threads = 1")
        let problems: [String]
        do {
            problems = try snapshot.quickCheck()
        } catch {
            throw CadangError(.failure, "database \(path) is damaged: its snapshot cannot be read by quick_check",
                              fix: "restore it with 'cadang restore'")
        }
        guard problems.isEmpty else {
            throw CadangError(.failure, "database \(path) is damaged: quick_check found \(problems.prefix(3).joined(separator: "; "))",
                              fix: "restore it with 'cadang restore'")
        }
        let tables = try snapshot.tableNames()
        guard tables.contains("produk") else {
            throw CadangError(.failure, "database \(path) has no table 'produk'; it is not the kasir app's database",
                              fix: "point the kasir source's 'database' at instance/kasir.db")
        }
        let others = tables.filter { !Self.seedExports.contains($0) }
        pending = (Self.seedExports.filter { tables.contains($0) } + others)
            .filter { request.wants($0) }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        description = "\(path) (\(bytes) bytes, \(try live.journalMode()) journal), snapshot by the online backup API"
    }

    func nextDataset() throws -> Dataset? {
        if !emittedFile {
            emittedFile = true
            if request.wants("database") {
                return .file(FileDataset(name: "database", fileName: "kasir.db", format: "sqlite", url: snapshotURL))
            }
        }
        guard !pending.isEmpty else { return nil }
        let name = pending.removeFirst()
        let backupDate = Timestamp.localDateTime(request.time)
        let exports = KasirExports(database: snapshot, backupDate: backupDate)
        switch name {
        case "produk": return .table(try exports.produk())
        case "transaksi": return .table(try exports.transaksi())
        case "transaksi_item": return .table(try exports.transaksiItem())
        default: return .table(try exports.table(name))
        }
    }

    func close() {}
}
