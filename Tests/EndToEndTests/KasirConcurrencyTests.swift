import Foundation
import XCTest

/// Backups while the shop is open: a writer commits sales in a loop while `cadang run auto` runs.
final class KasirConcurrencyTests: XCTestCase {
    /// Commits one sale (a transaksi and three items) per transaction, about 200 a second (a busy
    /// shop is far slower; unthrottled, the database would outgrow the test), until the stop file appears.
    static let writer = #"""
import os, sqlite3, sys, time
path, stop = sys.argv[1], sys.argv[2]
con = sqlite3.connect(path, timeout=30, isolation_level=None)
n = 0
while not os.path.exists(stop):
    con.execute('BEGIN IMMEDIATE')
    cur = con.execute("INSERT INTO transaksi (kode_transaksi, tanggal, subtotal, discount_percent, discount_amount, total, bayar, kembalian, payment_method, user_id, points_earned) VALUES (?, '2026-11-21 10:00:00.000000', 30000.0, 0.0, 0.0, 30000.0, 50000.0, 20000.0, 'tunai', 1, 30)", ('TRXW%08d' % n,))
    for k in range(3):
        con.execute('INSERT INTO transaksi_item (transaksi_id, produk_id, jumlah, harga, subtotal) VALUES (?, 1, 1, 10000.0, 10000.0)', (cur.lastrowid,))
    con.execute('COMMIT')
    n += 1
    time.sleep(0.005)
print(n)
"""#

    /// Rows per table in a set's CSVs and in its snapshot, read by Python.
    static let counter = #"""
import csv, json, sqlite3, sys
d = sys.argv[1]
con = sqlite3.connect('file:%s/kasir.db?mode=ro' % d, uri=True)
out = {}
for t in ('transaksi', 'transaksi_item', 'produk'):
    with open('%s/%s.csv' % (d, t), newline='', encoding='utf-8-sig', errors='replace') as f:
        out[t] = [sum(1 for _ in csv.reader(f)) - 1, con.execute('SELECT COUNT(*) FROM %s' % t).fetchone()[0]]
json.dump(out, sys.stdout)
"""#

    private func runWhileWriting(journal: String) throws {
        let workspace = try Workspace(config: KasirTests.config())
        let database = workspace.url.appendingPathComponent("instance/kasir.db")
        try KasirTests.makeDatabase(at: database, products: 50, transactions: 3000, journal: journal)
        let stop = workspace.url.appendingPathComponent("stop")
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        writer.arguments = ["python3", "-c", Self.writer, database.path, stop.path]
        let writerOutput = Pipe()
        writer.standardOutput = writerOutput
        try writer.run()
        defer { if writer.isRunning { writer.terminate() } }
        usleep(200_000)

        var committed = 0
        for attempt in 0..<20 {
            let run = try CLI.cadang.run(["run", "auto"], in: workspace.url)
            if run.status == 0 {
                committed += 1
            } else {
                XCTAssertEqual(run.status, 1, "run \(attempt): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("is busy"), "run \(attempt) failed with something else than the busy error: \(run.stderr)")
            }
        }
        try Data().write(to: stop)
        let written = Int(String(decoding: writerOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        writer.waitUntilExit()
        XCTAssertEqual(writer.terminationStatus, 0, "the writer never failed")
        XCTAssertGreaterThan(written, 20, "the writer kept committing during the runs")
        XCTAssertGreaterThan(committed, 10, "most runs succeed while the shop writes")

        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.count, committed)
        var transactionCounts: Set<Int> = []
        for set in sets {
            let directory = URL(fileURLWithPath: set.artifacts[0].path).deletingLastPathComponent().path
            let counts = try JSONDecoder().decode([String: [Int]].self, from: Data(try Independent.python(Self.counter, [directory]).utf8))
            for (table, pair) in counts {
                XCTAssertEqual(pair[0], pair[1], "set \(set.id): \(table).csv has \(pair[0]) rows, its snapshot \(pair[1])")
            }
            transactionCounts.insert(counts["transaksi"]?[1] ?? 0)
            XCTAssertEqual(set.artifacts.first { $0.dataset == "transaksi" }?.rows, counts["transaksi"]?[0])
        }
        XCTAssertGreaterThan(transactionCounts.count, 1, "the sets caught the database at different moments")
    }

    func testRunsDuringWritesInRollbackJournalMode() throws {
        try runWhileWriting(journal: "delete")
    }

    func testRunsDuringWritesInWALMode() throws {
        try runWhileWriting(journal: "wal")
    }
}
