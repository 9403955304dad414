import Foundation
@testable import POSOrderSource
import XCTest

/// `OrderStats.compute` on 1,000,000 orders in a SQLite store: under a second in release. Opt-in
/// (CADANG_STATS_BENCH=1), since filling the store takes a while; run it with
/// `CADANG_STATS_BENCH=1 swift test -c release --filter OrderStatsBenchmark`.
final class OrderStatsBenchmarkTests: XCTestCase {
    func testAMillionOrdersInUnderASecond() throws {
        guard ProcessInfo.processInfo.environment["CADANG_STATS_BENCH"] == "1" else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderstats-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("orders.db")

        var start = Date()
        do {
            let store = try SQLiteStoreDatabase(url: file)
            try store.write {
                for statement in StoreSchema.statements(postgres: false) { try store.execute(statement, []) }
                // A year of orders, one every ~31 s, 500 per session over 7 tills; 70 % verified,
                // 10 % imported, 2 % duplicate, 3 % error, 10 % missing, 5 % synced and unchecked.
                try store.execute("""
                    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
                    INSERT INTO orders (key, key_kind, uuid, access_token, pos_reference, name, reference, session_id, config_id,
                                        company_id, user_id, order_date, captured_at, received_at, amount_total, amount_tax,
                                        amount_paid, amount_return, lines, payments, state, versions, content_sha256,
                                        last_checked_at, matched_order_id, verified_at)
                    SELECT lower(hex(randomblob(16))), 'uuid', lower(hex(randomblob(16))), lower(hex(randomblob(16))),
                           printf('Order %05d-%03d-%04d', i / 500, i % 7, i % 10000), printf('Shop/%07d', i),
                           printf('%05d-%03d-%04d', i / 500, i % 7, i % 10000), i / 500 + 1, i % 7 + 1, 1, i % 13 + 1,
                           datetime(1735689600 + i * 31, 'unixepoch'), datetime(1735689600 + i * 31, 'unixepoch'),
                           datetime(1735689600 + i * 31 + 40, 'unixepoch'), 125000.0, 12500.0, 125000.0, 0.0, 3, 1,
                           CASE WHEN i % 100 < 70 THEN 'verified' WHEN i % 100 < 80 THEN 'imported'
                                WHEN i % 100 < 82 THEN 'duplicate' WHEN i % 100 < 85 THEN 'error' ELSE 'synced' END,
                           1, lower(hex(randomblob(32))),
                           CASE WHEN i % 100 < 95 THEN '2026-01-01 00:00:00' END,
                           CASE WHEN i % 100 < 85 THEN i END, CASE WHEN i % 100 < 70 THEN '2026-01-01 00:00:00' END
                    FROM n
                    """, [])
            }
        }
        print("bench stats: filling 1,000,000 orders took \(seconds(since: start)) s")

        // A fresh connection, as `cadang stats` opens one.
        let store = try SQLiteStoreDatabase(url: file)
        let berlin = try XCTUnwrap(TimeZone(identifier: "Europe/Berlin"))
        var times: [Double] = []
        var stats: OrderStats?
        for _ in 0..<3 {
            start = Date()
            stats = try OrderStats.compute(store, timeZone: berlin)
            times.append(seconds(since: start))
        }
        print("bench stats: compute on 1,000,000 orders (Europe/Berlin): " + times.map { "\($0) s" }.joined(separator: ", "))
        XCTAssertEqual(stats?.total, 1_000_000)
        XCTAssertEqual(stats?.byState["verified"], 700_000)
        XCTAssertEqual(stats?.missingBySession.reduce(0) { $0 + $1.missing }, 100_000)
        XCTAssertEqual(stats?.perDay.reduce(0) { $0 + $1.orders }, 1_000_000)
        XCTAssertLessThan(times[0], 1, "the first compute, on a fresh connection")
    }

    private func seconds(since start: Date) -> Double {
        (Date().timeIntervalSince(start) * 1000).rounded() / 1000
    }
}
