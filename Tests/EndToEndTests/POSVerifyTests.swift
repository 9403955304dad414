import Foundation
import POSTestSupport
import XCTest

/// `cadang run` and `cadang verify` of a pos-orders job against the stand-in Odoo (real HTTP
/// JSON-RPC, real rows in PostgreSQL), through the shipped binary.
final class POSVerifyTests: XCTestCase {
    /// The contract's examples, copied into the repository.
    private static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/pos-examples")

    private func workspace(_ standIn: OdooStandIn, user: OdooStandIn.User = .reader, postgres: Bool = false) throws -> (Workspace, [String: String]) {
        let postgresOption = postgres ? ", postgres: \"\(standIn.odooConninfo)\"" : ""
        let workspace = try Workspace(config: """
            repository: ./backups
            sources:
              pos:
                plugin: pos-orders
                inbox: [./inbox]
                timezone: Asia/Jakarta
                odoo: { url: "\(standIn.url.absoluteString)", database: \(standIn.databaseName), user: "\(user.login)", api_key: "${ODOO_API_KEY}", timeout: 60s\(postgresOption) }
            sinks:
              json: { plugin: json }
            jobs:
              pos: { sources: [pos], sinks: [json] }
            """)
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        return (workspace, ["ODOO_API_KEY": user.apiKey])
    }

    private struct VerifyOutput: Decodable {
        struct POS: Decodable {
            var checked: Int
            var verified: Int
            var missing: Int
            var checked_at: String
        }
        var pos: POS?
    }

    private func states(_ workspace: Workspace) throws -> [String: String] {
        let output = try Independent.python("""
            import sqlite3, sys
            for key, state, matched in sqlite3.connect(sys.argv[1]).execute('SELECT key, state, matched_order_id FROM orders ORDER BY key'):
                print(f'{key}|{state}|{matched}')
            """, [workspace.repository.appendingPathComponent("state/pos/orders.db").path])
        var result: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1).map(String.init)
            result[parts[0]] = parts[1]
        }
        return result
    }

    func testVerifyMatchesByUUIDTokenAndEveryReferenceFormButNeverBySession() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let (workspace, environment) = try workspace(standIn)
        let inbox = workspace.url.appendingPathComponent("inbox")
        try FileManager.default.copyItem(at: Self.examples.appendingPathComponent("odoo18-offline-order.json"),
                                         to: inbox.appendingPathComponent("offline.json"))
        try FileManager.default.copyItem(at: Self.examples.appendingPathComponent("odoo17-export-order.json"),
                                         to: inbox.appendingPathComponent("odoo17.json"))
        try Data("""
            {"name": "Pesanan 00050-001-0001", "pos_reference": "00050-001-0001", "session_id": 50, "lines": []}
            {"name": "Order 00050-001-0002", "pos_reference": "00050-001-0002", "session_id": 50, "lines": []}
            {"uuid": "not-in-odoo", "name": "Order 00050-001-0003", "session_id": 50, "lines": []}

            """.utf8).write(to: inbox.appendingPathComponent("tills.jsonl"))
        // In Odoo: the offline order (session 42 on the till) moved to session 43 (a late order); the ≤17 order by its
        // token; the translated one as the till named it; the plain reference with "Order ".
        let moved = try standIn.insertOrder(uuid: "a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11", posReference: "Order 00042-003-0017", sessionID: 43)
        let token = try standIn.insertOrder(uuid: nil, accessToken: "2b9c5d1e-8f7a-4c3b-a2d1-e0f9a8b7c6d5", posReference: "Order 00017-001-9999")
        let translated = try standIn.insertOrder(uuid: nil, posReference: "Pesanan 00050-001-0001")
        let prefixed = try standIn.insertOrder(uuid: nil, posReference: "Order 00050-001-0002")

        // The run verifies what it stored.
        let run = try CLI.cadang.run(["run", "pos"], in: workspace.url, environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("pos: 5 checked in Odoo — 4 verified, 1 missing on the server"), run.stdout)
        let found = try states(workspace)
        XCTAssertEqual(found["a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11"], "verified|\(moved)")
        XCTAssertEqual(found["2b9c5d1e-8f7a-4c3b-a2d1-e0f9a8b7c6d5"], "verified|\(token)")
        XCTAssertEqual(found["00050-001-0001"], "verified|\(translated)")
        XCTAssertEqual(found["00050-001-0002"], "verified|\(prefixed)")
        XCTAssertEqual(found["not-in-odoo"], "synced|None")

        // verify looks again at what is not found; Odoo gets it meanwhile.
        _ = try standIn.insertOrder(uuid: "not-in-odoo", posReference: "Order 00050-001-0003")
        let verify = try CLI.cadang.run(["verify", "pos", "--json"], in: workspace.url, environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stderr)
        let report = try XCTUnwrap(try JSONDecoder().decode(VerifyOutput.self, from: Data(verify.stdout.utf8)).pos, verify.stdout)
        XCTAssertEqual([report.checked, report.verified, report.missing], [1, 1, 0])
        XCTAssertEqual(try states(workspace)["not-in-odoo"]?.hasPrefix("verified"), true)
    }

    func testABadKeyOrADownServerIsOneLineExitOneAndChangesNothing() throws {
        let standIn = try OdooStandIn.start()
        let (workspace, _) = try workspace(standIn)
        try Data("{\"uuid\": \"u-1\", \"name\": \"Order 00001-001-0001\", \"lines\": []}\n".utf8)
            .write(to: workspace.url.appendingPathComponent("inbox/a.jsonl"))
        // A wrong key: the run still stores and writes its set, and says why it could not verify.
        let run = try CLI.cadang.run(["run", "pos"], in: workspace.url, environment: ["ODOO_API_KEY": "wrong-key"])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertEqual(try states(workspace)["u-1"], "synced|None")
        let bad = try CLI.cadang.run(["verify", "pos"], in: workspace.url, environment: ["ODOO_API_KEY": "wrong-key"])
        XCTAssertEqual(bad.status, 1)
        let lines = bad.stderr.split(separator: "\n").filter { $0.contains("error") }
        XCTAssertEqual(lines.count, 1, bad.stderr)
        XCTAssertFalse(bad.stderr.contains("wrong-key"), "the key is never printed")
        XCTAssertEqual(try states(workspace)["u-1"], "synced|None", "no state changed")
        let calls = try standIn.calls()
        standIn.stop()
        XCTAssertLessThanOrEqual(calls.count("common.login"), 2, "no retry loop")
        let down = try CLI.cadang.run(["verify", "pos"], in: workspace.url, environment: ["ODOO_API_KEY": OdooStandIn.User.reader.apiKey])
        XCTAssertEqual(down.status, 1, down.stderr)
        XCTAssertTrue(down.stderr.contains(standIn.url.host ?? "127.0.0.1"), down.stderr)
        XCTAssertEqual(try states(workspace)["u-1"], "synced|None")
    }

    func testWithOdooPostgresVerifyReadsPosOrderDirectly() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let (workspace, environment) = try workspace(standIn, postgres: true)
        try Data("""
            {"name": "Pesanan 00070-001-0001", "pos_reference": "00070-001-0001", "session_id": 70, "lines": []}
            {"uuid": "sql-2", "name": "Order 00070-001-0002", "lines": []}
            {"uuid": "sql-3", "name": "Order 00070-001-0003", "lines": []}

            """.utf8).write(to: workspace.url.appendingPathComponent("inbox/a.jsonl"))
        let translated = try standIn.insertOrder(uuid: nil, posReference: "Pesanan 00070-001-0001")
        let byUUID = try standIn.insertOrder(uuid: "sql-2", posReference: "Order 00070-001-0002")
        try standIn.resetCalls()
        let run = try CLI.cadang.run(["run", "pos"], in: workspace.url, environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("3 checked in Odoo — 2 verified, 1 missing"), run.stdout)
        XCTAssertEqual(try standIn.calls().count("pos.order.search_read"), 0, "no JSON-RPC search")
        let found = try states(workspace)
        XCTAssertEqual(found["00070-001-0001"], "verified|\(translated)")
        XCTAssertEqual(found["sql-2"], "verified|\(byUUID)")
        XCTAssertEqual(found["sql-3"], "synced|None")
    }

    func testTenThousandOrdersAreVerifiedInAtMostTenCalls() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let (workspace, environment) = try workspace(standIn)
        var lines = ""
        for number in 0..<10_000 {
            lines += "{\"uuid\": \"bulk-\(number)\", \"name\": \"Order 00060-001-\(String(format: "%04d", number % 10_000))\", \"session_id\": 60, \"lines\": []}\n"
        }
        try Data(lines.utf8).write(to: workspace.url.appendingPathComponent("inbox/bulk.jsonl"))
        _ = try standIn.execute("""
            INSERT INTO pos_order (user_id, company_id, pricelist_id, sequence_number, session_id, config_id, nb_print, sale_journal,
                create_uid, write_uid, name, state, pos_reference, uuid, amount_tax, amount_total, amount_paid, amount_return,
                currency_rate, to_invoice, is_tipped, has_deleted_line, date_order, create_date, write_date)
            SELECT 6, 1, 1, n, 43, 3, 0, 1, 6, 6, 'Shop/' || n, 'paid', 'Order 00060-001-' || lpad(n::text, 4, '0'), 'bulk-' || n,
                0, 1, 1, 0, 1, false, false, false, now(), now(), now()
            FROM generate_series(0, 4999) AS n
            """)
        try standIn.resetCalls()
        let run = try CLI.cadang.run(["run", "pos"], in: workspace.url, environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("10000 checked in Odoo — 5000 verified, 5000 missing"), run.stdout)
        let calls = try standIn.calls()
        XCTAssertLessThanOrEqual(calls.count("pos.order.search_read"), 10)
        XCTAssertLessThanOrEqual(calls.total, 12)
    }
}
