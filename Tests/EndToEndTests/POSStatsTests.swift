import Foundation
import XCTest

/// `cadang stats pos` through the shipped binary: its numbers equal an independent count of the
/// store, `--html` writes a self-contained dashboard.
final class POSStatsTests: XCTestCase {
    private struct Stats: Decodable {
        struct Day: Decodable {
            var day: String
            var orders: Int
            var missing: Int
        }
        var total: Int
        var by_state: [String: Int]
        var success_rate: Double
        var per_day: [Day]
    }

    func testStatsEqualAnIndependentCountAndTheDashboardIsSelfContained() throws {
        let workspace = try Workspace(config: """
            repository: ./backups
            sources:
              pos: { plugin: pos-orders, inbox: [./inbox], timezone: Asia/Jakarta }
            sinks:
              json: { plugin: json }
            jobs:
              pos: { sources: [pos], sinks: [json] }
            """)
        let inbox = workspace.url.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        var lines = ""
        // 23:30 UTC is the next morning in Jakarta (UTC+7).
        for number in 0..<300 {
            let hour = number % 2 == 0 ? "23:30:00" : "03:00:00"
            lines += "{\"uuid\": \"s-\(number)\", \"name\": \"Order 00090-001-\(String(format: "%04d", number))\", \"session_id\": \(90 + number % 3), \"config_id\": 3, \"date_order\": \"2026-01-\(String(format: "%02d", 10 + number % 5)) \(hour)\", \"lines\": []}\n"
        }
        try Data(lines.utf8).write(to: inbox.appendingPathComponent("orders.jsonl"))
        XCTAssertEqual(try CLI.cadang.run(["run", "pos"], in: workspace.url).status, 0)
        let store = workspace.repository.appendingPathComponent("state/pos/orders.db").path
        _ = try Independent.python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE orders SET state = 'verified' WHERE CAST(substr(key, 3) AS INTEGER) % 4 = 0")
            db.execute("UPDATE orders SET last_checked_at = '2026-01-20 00:00:00' WHERE state = 'synced' AND CAST(substr(key, 3) AS INTEGER) % 4 = 1")
            db.commit()
            """, [store])

        let result = try CLI.cadang.run(["stats", "pos", "--json"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let stats = try XCTUnwrap(try JSONDecoder().decode([String: Stats].self, from: Data(result.stdout.utf8))["pos"], result.stdout)
        let expected = try Independent.python("""
            import json, sqlite3, sys, datetime
            db = sqlite3.connect(sys.argv[1])
            rows = db.execute("SELECT state, order_date, last_checked_at, matched_order_id FROM orders").fetchall()
            days = {}
            for state, date, checked, matched in rows:
                day = (datetime.datetime.fromisoformat(date) + datetime.timedelta(hours=7)).date().isoformat()
                entry = days.setdefault(day, [0, 0])
                entry[0] += 1
                entry[1] += state == 'synced' and checked is not None and matched is None
            states = dict(db.execute("SELECT state, count(*) FROM orders GROUP BY state").fetchall())
            print(json.dumps({"total": len(rows), "verified": states.get("verified", 0), "days": sorted(days.items())}))
            """, [store])
        let independent = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [String: Any])
        XCTAssertEqual(stats.total, independent["total"] as? Int)
        XCTAssertEqual(stats.by_state["verified"], independent["verified"] as? Int)
        XCTAssertEqual(stats.by_state["imported"], 0)
        XCTAssertEqual(stats.success_rate, Double(stats.by_state["verified"] ?? 0) / 300, accuracy: 1e-9)
        let days = try XCTUnwrap(independent["days"] as? [[Any]])
        XCTAssertEqual(stats.per_day.map(\.day), days.map { $0[0] as? String ?? "" })
        XCTAssertEqual(stats.per_day.map(\.orders), days.map { ($0[1] as? [Int])?[0] ?? -1 })
        XCTAssertEqual(stats.per_day.map(\.missing), days.map { ($0[1] as? [Int])?[1] ?? -1 })

        let html = workspace.url.appendingPathComponent("dashboard.html")
        let page = try CLI.cadang.run(["stats", "pos", "--html", html.path], in: workspace.url)
        XCTAssertEqual(page.status, 0, page.stderr)
        XCTAssertTrue(page.stdout.contains("verified"), page.stdout)
        let text = try String(contentsOf: html, encoding: .utf8)
        XCTAssertTrue(text.contains("<svg"))
        XCTAssertFalse(text.contains("<script"))
        XCTAssertFalse(text.contains("http://") || text.contains("https://"), "no external resources")

        let grants = try CLI.cadang.run(["stats", "pos", "--grants"], in: workspace.url)
        XCTAssertEqual(grants.status, 0)
        XCTAssertTrue(grants.stdout.contains("nothing to grant"), grants.stdout)
    }
}
