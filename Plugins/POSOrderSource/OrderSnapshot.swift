import CadangCore
import Foundation
import SQLiteSupport

/// One instant of the order store, after the run's ingest: the tables, then (SQLite) the store file
/// itself, all from the same snapshot — a backup-API copy of the SQLite file, or one `REPEATABLE
/// READ` transaction on PostgreSQL.
final class OrderSnapshot: ReportingSnapshot {
    private let reader: any StoreDatabase
    private var pending: [OrderDatasets.Table]
    private var storeFile: FileDataset?
    private var openRead: PostgresStoreDatabase?
    private var openSQLiteRead: SQLiteStoreDatabase?
    private let report: IngestReport
    private let source: String
    private let verifyLine: String?
    let description: String

    init(store: OrderStore, request: SourceRequest, report: IngestReport, source: String, verifyLine: String?) throws {
        self.report = report
        self.source = source
        self.verifyLine = verifyLine
        pending = OrderDatasets.all.filter { request.wants($0.schema.name) }
        if let live = store.database as? SQLiteStoreDatabase, !request.wants(OrderDatasets.storeName) {
            // No file wanted: one read transaction on the live store (WAL) is the snapshot.
            let reading = try SQLiteStoreDatabase(readingLive: URL(fileURLWithPath: live.location))
            try reading.database.execute("BEGIN")
            reader = reading
            openSQLiteRead = reading
            description = "order store \(live.location), one read transaction"
        } else if let live = store.database as? SQLiteStoreDatabase {
            let url = request.scratchDirectory.appendingPathComponent("orders.db")
            let copy = try SQLiteSnapshot(of: URL(fileURLWithPath: live.location), into: url, busyTimeout: 30)
            if case .success(let problems) = copy.check.wait().result, !problems.isEmpty {
                throw CadangError(.damaged, "the copy of order store \(live.location) is damaged: \(problems.joined(separator: "; "))",
                                  fix: "run 'cadang verify' and check the disk")
            }
            reader = try SQLiteStoreDatabase(readingSnapshot: url)
            if request.wants(OrderDatasets.storeName) {
                storeFile = FileDataset(name: OrderDatasets.storeName, fileName: "orders.db", format: "sqlite", url: url)
            }
            description = "order store \(live.location) (\(copy.bytes) bytes), snapshot by the online backup API"
        } else if let postgres = store.database as? PostgresStoreDatabase {
            reader = postgres
            try postgres.connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            openRead = postgres
            description = "order store \(postgres.location), one REPEATABLE READ snapshot"
        } else {
            throw CadangError(.failure, "order store \(store.database.location) cannot be snapshotted")
        }
    }

    func nextDataset() throws -> Dataset? {
        if !pending.isEmpty {
            let table = pending.removeFirst()
            return .table(try OrderStore.wrap { try reader.table(table.sql, [], schema: table.schema) })
        }
        if let file = storeFile {
            storeFile = nil
            return .file(file)
        }
        return nil
    }

    var runReport: SourceRunReport? {
        let lines = [report.line(source: source)] + (verifyLine.map { [$0] } ?? [])
        return SourceRunReport(line: lines.joined(separator: "\n"), json: report)
    }

    func close() {
        if let openSQLiteRead {
            try? openSQLiteRead.database.execute("COMMIT")
            self.openSQLiteRead = nil
        }
        if let openRead {
            try? openRead.connection.run("COMMIT")
            self.openRead = nil
        }
    }
}
