import Foundation
import POSTestSupport
import XCTest

/// The two roles of a PostgreSQL store (README "Schedules and roles") through the shipped binary:
/// with the GRANTs `cadang stats --grants` prints, `cadang_ingest` syncs and reads, and verify,
/// import and cleanup fail at once with one line naming the role and the right; `cadang_manager`
/// does all of it.
final class POSRoleTests: XCTestCase {
    func testTheIngestRoleSyncsAndReadsAndTheManagerRoleDoesTheRest() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let database = try TestPostgres.makeDatabase("roles")
        let ingest = try TestPostgres.makeRole("ingest", password: nil, in: database)
        let manager = try TestPostgres.makeRole("manager", password: nil, in: database)
        defer {
            _ = try? PSQL.run("DROP OWNED BY \(ingest.name), \(manager.name)", conninfo: database.conninfo)
            try? database.drop()
            _ = try? PSQL.run("DROP ROLE IF EXISTS \(ingest.name); DROP ROLE IF EXISTS \(manager.name)", conninfo: database.server)
        }
        // The owner creates the tables, and grants what cadang prints (the roles' names are the test's).
        let owner = try ImportWorkspace(standIn, store: database)
        XCTAssertEqual(try owner.cadang(["run", "pos"]).status, 0)
        let grants = try owner.cadang(["stats", "pos", "--grants"])
        XCTAssertEqual(grants.status, 0, grants.stderr)
        XCTAssertTrue(grants.stdout.contains("GRANT SELECT, INSERT ON cadang.store_meta"), grants.stdout)
        let statements = grants.stdout.replacingOccurrences(of: "cadang_ingest", with: ingest.name)
            .replacingOccurrences(of: "cadang_manager", with: manager.name)
        _ = try PSQL.run(statements, conninfo: database.conninfo)

        // The tills' role: sync and stats work; the run says why it did not verify, and exits 0.
        let tills = try ImportWorkspace(standIn, store: database, storeConninfo: ingest.conninfo)
        try Data(("[" + [try ImportWorkspace.offlineOrder(1), try ImportWorkspace.offlineOrder(2)].joined(separator: ",") + "]").utf8)
            .write(to: tills.workspace.url.appendingPathComponent("inbox/orders.json"))
        let sync = try tills.cadang(["run", "pos"])
        XCTAssertEqual(sync.status, 0, sync.stderr)
        XCTAssertTrue(sync.stdout.contains("pos: 2 read — 2 stored"), sync.stdout)
        XCTAssertTrue(sync.stdout.contains("not checked against Odoo after the ingest: role '\(ingest.name)' may not UPDATE cadang.orders"), sync.stdout)
        let stats = try tills.cadang(["stats", "pos", "--json"])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertTrue(stats.stdout.contains("\"total\" : 2"), stats.stdout)

        // What needs the manager's rights fails at once: one line, the role, the right, the fix; Odoo not called.
        let before = try tills.orders()
        try standIn.resetCalls()
        for (arguments, right) in [(["verify", "pos"], "UPDATE cadang.orders, which cadang verify needs"),
                                   (["restore", "pos", "--yes"], "UPDATE cadang.orders, which cadang restore needs"),
                                   (["prune", "pos", "--keep-last", "10", "--older-than", "7d"], "DELETE cadang.orders, which cadang prune needs")] {
            let refused = try tills.cadang(arguments)
            XCTAssertEqual(refused.status, 1, "\(arguments): \(refused.stderr)")
            let lines = refused.stderr.split(separator: "\n").filter { $0.contains("error") }
            XCTAssertEqual(lines.count, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("role '\(ingest.name)' may not \(right)"), refused.stderr)
            XCTAssertTrue(refused.stderr.contains("as cadang_manager"), refused.stderr)
        }
        XCTAssertEqual(try standIn.calls().total, 0, "no call to Odoo, no retry loop")
        XCTAssertEqual(try tills.orders(), before, "no state changed")

        // The manager's role, from another machine: verify, import and cleanup.
        let office = try ImportWorkspace(standIn, store: database, storeConninfo: manager.conninfo)
        let verify = try office.cadang(["verify", "pos"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stdout.contains("2 missing on the server"), verify.stdout)
        let imported = try office.cadang(["restore", "pos", "--yes"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("pos: 2 imported"), imported.stdout)
        let cleanup = try office.cadang(["prune", "pos", "--keep-last", "10", "--older-than", "7d"])
        XCTAssertEqual(cleanup.status, 0, cleanup.stderr)
        XCTAssertTrue(cleanup.stdout.contains("removed 2 order(s)"), cleanup.stdout)
        XCTAssertEqual(try office.orders().count, 0)
    }
}
