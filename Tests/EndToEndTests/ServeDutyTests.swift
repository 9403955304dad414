import Foundation
import POSTestSupport
import XCTest

/// The duties inside `cadang serve` (DESIGN §8): sync, verify and cleanup on their own clock, one
/// at a time, logged; SIGTERM lets the running duty finish and then stops.
final class ServeDutyTests: XCTestCase {
    /// The pos job with a retention policy whose records rule removes verified orders, and the duties given.
    private func workspace(_ standIn: OdooStandIn, duties: String) throws -> ImportWorkspace {
        let job = try ImportWorkspace(standIn)
        try job.workspace.write("cadang.yaml", """
            repository: ./backups
            sources:
              pos:
                plugin: pos-orders
                inbox: [./inbox]
                timezone: Asia/Jakarta
                odoo: { url: "\(standIn.url.absoluteString)", database: \(standIn.databaseName), user: "\(OdooStandIn.User.cashier.login)", api_key: "${ODOO_API_KEY}" }
            sinks:
              json: { plugin: json }
            policies:
              bersih: { plugin: retention, keep_last: 5, records: { older_than: 7d, states: [verified] } }
            jobs:
              pos: { sources: [pos], sinks: [json], policies: [bersih] }
            serve:
              listen: 127.0.0.1:0
              tokens: { ingest: "${CADANG_INGEST_TOKEN}", manager: "${CADANG_MANAGER_TOKEN}" }
              duties: \(duties)
            """)
        return job
    }

    /// How many sets `list --json` shows.
    private func sets(_ job: ImportWorkspace) throws -> Int {
        let listed = try job.cadang(["list", "--json"])
        return (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [Any])?.count ?? -1
    }

    /// Waits up to `seconds` for `condition`.
    private func eventually(_ seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(100_000)
        }
        XCTFail("not within \(seconds) s: \(what)")
    }

    func testSyncVerifyAndCleanupRunOnTheirOwn() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let job = try workspace(standIn, duties: "{ sync: 1s, verify: 2s, cleanup: 3s }")
        _ = try standIn.insertOrder(uuid: ImportWorkspace.uuid(1), posReference: "Order 00042-003-0001")
        let server = try ServeProcess(in: job.workspace.url, environment: job.environment, arguments: ["--verbose"])
        try Data(("[" + (try (1...3).map { try ImportWorkspace.offlineOrder($0) }).joined(separator: ",") + "]").utf8)
            .write(to: job.workspace.url.appendingPathComponent("inbox/till.json"))

        try eventually(20, "the sync duty stores the inbox and verifies it") {
            try job.orders()[ImportWorkspace.uuid(2)]?[0] == "synced" && (try self.sets(job)) > 0
        }
        try eventually(20, "the cleanup duty removes the verified order older than 7 days") {
            try job.orders()[ImportWorkspace.uuid(1)] == nil
        }
        XCTAssertEqual(try job.orders().count, 2, "the missing orders stay")
        let log = server.log
        for duty in ["sync", "verify", "cleanup"] {
            XCTAssertTrue(log.contains("duty \(duty) of job 'pos' finished"), "\(duty) is logged: \(log)")
        }
        XCTAssertFalse(log.contains("failed"), log)
        XCTAssertEqual(server.stop(), 0)
    }

    func testSIGTERMLetsTheRunningDutyFinish() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let job = try workspace(standIn, duties: "{ sync: 1s, verify: off, cleanup: off }")
        try Data(("[" + (try (1...3).map { try ImportWorkspace.offlineOrder($0) }).joined(separator: ",") + "]").utf8)
            .write(to: job.workspace.url.appendingPathComponent("inbox/till.json"))
        // Odoo answers slowly, so the sync's verify is running when the signal comes.
        try standIn.setDelay(3, methods: ["pos.order.search_read"])
        let server = try ServeProcess(in: job.workspace.url, environment: job.environment, arguments: ["--verbose"])
        try eventually(20, "the sync duty starts") { server.log.contains("duty sync of job 'pos' started") }
        usleep(500_000)
        let signalled = Date()
        server.process.terminate()
        server.process.waitUntilExit()
        XCTAssertEqual(server.process.terminationStatus, 0, server.log)
        XCTAssertGreaterThan(Date().timeIntervalSince(signalled), 1.5, "it waited for the duty")
        let log = server.log
        XCTAssertTrue(log.contains("duty sync of job 'pos' finished"), log)
        XCTAssertTrue(log.contains("duties stopped"), log)
        XCTAssertEqual(try job.orders().values.map { $0[0] }, ["synced", "synced", "synced"])
        XCTAssertEqual(try sets(job), 1, "the duty's set is whole and listed")
        let checked = try Independent.python("""
            import sqlite3, sys
            print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM orders WHERE last_checked_at IS NOT NULL").fetchone()[0])
            """, [job.workspace.repository.appendingPathComponent("state/pos/orders.db").path])
        XCTAssertEqual(checked.trimmingCharacters(in: .whitespacesAndNewlines), "3", "the verify the duty was in finished")
    }
}
