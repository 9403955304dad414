import CadangCore
import Foundation
import Logging
import SQLiteSupport

/// One instant of the kasir database: a backup-API copy checked with `quick_check`, from which
/// every export is read.
final class KasirSnapshot: SourceSnapshot {
    private let request: SourceRequest
    private let snapshot: SQLiteDatabase
    private let snapshotURL: URL
    private var pending: [String]
    private var emittedFile = false
    /// The snapshot's SHA-256 once `fingerprint()` read it, handed on so the core does not read it again.
    private var snapshotDigest: String?
    private let check: BackgroundQuickCheck
    private var checked = false
    private let path: String
    private let logger: Logger
    let description: String

    /// Names of the datasets, in emission order.
    static let seedExports = ["produk", "transaksi", "transaksi_item"]

    init(database: URL, busyTimeout: Double, request: SourceRequest, logger: Logger) throws {
        self.request = request
        self.logger = logger
        let path = database.path
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CadangError(.failure, "database \(path) does not exist", fix: "check the 'database' path of the kasir source in the config")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CadangError(.failure, "database \(path) cannot be read", fix: "check the file's permissions")
        }
        snapshotURL = request.scratchDirectory.appendingPathComponent("kasir.db")
        let copy = try SQLiteSnapshot(of: database, into: snapshotURL, busyTimeout: busyTimeout)
        logger.debug("snapshot of \(path): \(copy.bytes) bytes in \(DurationText.seconds(copy.seconds))")
        // quick_check runs beside the exports; the last nextDataset() returns nil, and so lets the
        // set be committed, only after it passed.
        check = copy.check
        let tables: [String]
        do {
            snapshot = try copy.open()
            // transaksi is ordered by tanggal, which has no index: one helper thread lets SQLite's
            // sorter merge its runs while this thread writes rows (measured ~1 s less per million rows).
            try snapshot.execute("PRAGMA threads = 1")
            tables = try snapshot.tableNames()
        } catch {
            // A damaged snapshot is reported by quick_check's verdict, not by the query that tripped on it.
            _ = try Self.verdict(of: check, path: path)
            throw error
        }
        guard tables.contains("produk") else {
            _ = try Self.verdict(of: check, path: path)
            throw CadangError(.failure, "database \(path) has no table 'produk'; it is not the kasir app's database",
                              fix: "point the kasir source's 'database' at instance/kasir.db")
        }
        let others = tables.filter { !Self.seedExports.contains($0) }
        pending = (Self.seedExports.filter { tables.contains($0) } + others)
            .filter { request.wants($0) }
        description = "\(path) (\(copy.bytes) bytes, \(copy.journalMode) journal), snapshot by the online backup API"
    }

    func nextDataset() throws -> Dataset? {
        do {
            guard let dataset = try next() else {
                try verdict()
                return nil
            }
            if case .table(let reader) = dataset {
                return .table(CheckedTableReader(reader, snapshot: self))
            }
            return dataset
        } catch {
            try verdict()
            throw error
        }
    }

    private func next() throws -> Dataset? {
        if !emittedFile {
            emittedFile = true
            if request.wants("database") {
                return .file(FileDataset(name: "database", fileName: "kasir.db", format: "sqlite", url: snapshotURL, sha256: snapshotDigest))
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

    /// SHA-256 of the snapshot file: the backup API copies pages as they are, so an unchanged
    /// database gives a byte-identical snapshot. Asked before the engine moves the file into the set.
    func fingerprint() throws -> String? {
        let (digest, _) = try FileSystem.sha256(of: snapshotURL)
        snapshotDigest = digest
        return "sha256:" + digest
    }

    /// Waits for quick_check and throws the user-facing error when it failed or found problems.
    func verdict() throws {
        let seconds = try Self.verdict(of: check, path: path)
        if !checked {
            checked = true
            logger.debug("quick_check of the snapshot: ok in \(DurationText.seconds(seconds))")
        }
    }

    /// `verdict()` for the initializer, before `self` is whole; returns the check's duration.
    private static func verdict(of check: BackgroundQuickCheck, path: String) throws -> Double {
        let (result, seconds) = check.wait()
        let problems: [String]
        do {
            problems = try result.get()
        } catch {
            throw CadangError(.failure, "database \(path) is damaged: its snapshot cannot be read by quick_check",
                              fix: "restore it with 'cadang restore'")
        }
        guard problems.isEmpty else {
            throw CadangError(.failure, "database \(path) is damaged: quick_check found \(problems.prefix(3).joined(separator: "; "))",
                              fix: "restore it with 'cadang restore'")
        }
        return seconds
    }

    /// Stops the check if the run ends early, so no thread outlives the run.
    func close() { check.cancel() }
}

/// A table reader whose errors give way to quick_check's verdict when the snapshot is damaged.
final class CheckedTableReader: TableReader {
    private let reader: any TableReader
    private let snapshot: KasirSnapshot

    init(_ reader: any TableReader, snapshot: KasirSnapshot) {
        self.reader = reader
        self.snapshot = snapshot
    }

    var schema: TableSchema { reader.schema }

    func read(into batch: inout RowBatch) throws -> Bool {
        do {
            return try reader.read(into: &batch)
        } catch {
            try snapshot.verdict()
            throw error
        }
    }
}
