import Foundation
import XCTest

/// `cadang prune pos` (cleanup of old orders) through the shipped binary: the 7-day minimum in the
/// config, the flags and the code; a dry run that lists exactly what the execution removes.
final class POSCleanupTests: XCTestCase {
    private func workspace(records: String = "{ older_than: 30d }") throws -> Workspace {
        let workspace = try Workspace(config: """
            repository: ./backups
            sources:
              pos: { plugin: pos-orders, inbox: [./inbox], timezone: Asia/Jakarta }
            sinks:
              json: { plugin: json }
            policies:
              bersih: { plugin: retention, keep_daily: 30, records: \(records) }
            jobs:
              pos: { sources: [pos], sinks: [json], policies: [bersih] }
            """)
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        return workspace
    }

    private static func day(_ ago: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date().addingTimeInterval(-ago * 86_400))
    }

    /// Five orders: old verified, old missing, old never checked, old error, new verified.
    private func stock(_ workspace: Workspace) throws {
        var lines = ""
        for (key, ago) in [("old-verified", 40.0), ("old-missing", 40), ("old-unchecked", 40), ("old-error", 40), ("new-verified", 3)] {
            lines += "{\"uuid\": \"\(key)\", \"name\": \"Order 00001-001-000\(lines.count % 10)\", \"date_order\": \"\(Self.day(ago))\", \"lines\": []}\n"
        }
        try Data(lines.utf8).write(to: workspace.url.appendingPathComponent("inbox/orders.jsonl"))
        XCTAssertEqual(try CLI.cadang.run(["run", "pos"], in: workspace.url).status, 0)
        _ = try Independent.python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE orders SET state = 'verified', matched_order_id = 1 WHERE key IN ('old-verified', 'new-verified')")
            db.execute("UPDATE orders SET last_checked_at = '2026-01-01 00:00:00' WHERE key = 'old-missing'")
            db.execute("UPDATE orders SET state = 'error', last_error = 'boom' WHERE key = 'old-error'")
            db.commit()
            """, [store(workspace)])
    }

    private func store(_ workspace: Workspace) -> String {
        workspace.repository.appendingPathComponent("state/pos/orders.db").path
    }

    private func keys(_ workspace: Workspace) throws -> [String] {
        try Independent.python("""
            import sqlite3, sys
            print('\\n'.join(k for (k,) in sqlite3.connect(sys.argv[1]).execute('SELECT key FROM orders ORDER BY key')))
            """, [store(workspace)]).split(separator: "\n").map(String.init)
    }

    private struct Output: Decodable {
        struct POS: Decodable {
            struct Records: Decodable {
                struct Entry: Decodable, Equatable {
                    var key: String
                    var state: String
                    var order_date: String
                }
                var remove: [Entry]
                var kept: Int
            }
            var records: Records
        }
        var pos: POS
    }

    private func prune(_ workspace: Workspace, _ arguments: [String]) throws -> (Int32, Output?, String) {
        let result = try CLI.cadang.run(["prune", "--json"] + arguments, in: workspace.url)
        return (result.status, try? JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8)), result.stderr)
    }

    func testSixDaysIsRefusedEverywhere() throws {
        let short = try workspace(records: "{ older_than: 6d }")
        let check = try CLI.cadang.run(["config", "check"], in: short.url)
        XCTAssertEqual(check.status, 2)
        XCTAssertTrue(check.stderr.contains("cadang.yaml:"), check.stderr)
        XCTAssertTrue(check.stderr.contains("7 days"), check.stderr)

        let workspace = try workspace()
        try stock(workspace)
        let flag = try CLI.cadang.run(["prune", "pos", "--older-than", "6d"], in: workspace.url)
        XCTAssertEqual(flag.status, 2, flag.stderr)
        XCTAssertTrue(flag.stderr.contains("at least 7 days"), flag.stderr)
        let unsettled = try CLI.cadang.run(["prune", "pos", "--states", "synced"], in: workspace.url)
        XCTAssertEqual(unsettled.status, 2, unsettled.stderr)
        XCTAssertTrue(unsettled.stderr.contains("--include-missing"), unsettled.stderr)
        XCTAssertEqual(try keys(workspace).count, 5, "nothing removed")
    }

    func testTheDryRunListsExactlyWhatTheExecutionRemoves() throws {
        let workspace = try workspace()
        try stock(workspace)
        // The policy's rule: settled orders older than 30 days — missing ones are never touched.
        let (status, preview, stderr) = try prune(workspace, ["pos", "--dry-run"])
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(preview?.pos.records.remove.map(\.key), ["old-verified"])
        XCTAssertEqual(preview?.pos.records.kept, 4)
        XCTAssertEqual(try keys(workspace).count, 5, "a dry run removes nothing")
        let (done, executed, _) = try prune(workspace, ["pos"])
        XCTAssertEqual(done, 0)
        XCTAssertEqual(executed?.pos.records.remove, preview?.pos.records.remove)
        XCTAssertEqual(try keys(workspace), ["new-verified", "old-error", "old-missing", "old-unchecked"])

        // Asked for: the missing and the failed ones too, never the unchecked or the new.
        let (_, wider, _) = try prune(workspace, ["pos", "--include-missing", "--dry-run"])
        XCTAssertEqual(Set(wider?.pos.records.remove.map(\.key) ?? []), ["old-missing", "old-error"])
        let (_, removed, _) = try prune(workspace, ["pos", "--include-missing"])
        XCTAssertEqual(removed?.pos.records.remove, wider?.pos.records.remove)
        XCTAssertEqual(try keys(workspace), ["new-verified", "old-unchecked"])
        // The events stay, deletions included.
        let deleted = try Independent.python("""
            import sqlite3, sys
            print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM events WHERE to_state = 'deleted'").fetchone()[0])
            """, [store(workspace)]).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(deleted, "3")
    }
}
