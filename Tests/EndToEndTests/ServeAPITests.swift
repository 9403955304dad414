import Foundation
import POSTestSupport
import XCTest

/// `cadang serve`'s HTTP API (DESIGN §8) through the shipped binary and a real HTTP client: every
/// endpoint, every refusal with its status, per-item results, idempotency, and the manager's
/// operations giving what the commands' `--json` give.
final class ServeAPITests: XCTestCase {
    /// A pos job (SQLite store, or a PostgreSQL one) with the serve section, and its server.
    private func serving(store: TestDatabase? = nil) throws -> (ImportWorkspace, ServeProcess, OdooStandIn) {
        let standIn = try OdooStandIn.start()
        let job = try ImportWorkspace(standIn, store: store, extra: ServeProcess.section)
        let server = try ServeProcess(in: job.workspace.url, environment: job.environment)
        return (job, server, standIn)
    }

    func testOrdersAreStoredOncePerItemAndTheSameBodyAgainIsUnchanged() throws {
        let database = try TestPostgres.makeDatabase("serveingest")
        defer { try? database.drop() }
        for store in [nil, database] {
            let (job, server, standIn) = try serving(store: store)
            defer { standIn.stop() }
            let body = "[" + [try ImportWorkspace.offlineOrder(1), #"{"note": "no identity at all"}"#, try ImportWorkspace.offlineOrder(2)]
                .joined(separator: ",") + "]"
            let first = try server.post(orders: body)
            XCTAssertEqual(first.status, 200, first.text)
            let results = try ServeProcess.results(first)
            XCTAssertEqual(results.map { $0["index"] as? Int }, [0, 1, 2])
            XCTAssertEqual(results.map { $0["status"] as? String }, ["stored", "rejected", "stored"])
            XCTAssertEqual(results.map { $0["key"] as? String }, [ImportWorkspace.uuid(1), nil, ImportWorkspace.uuid(2)])
            XCTAssertNotNil(results[1]["reason"] as? String, "a rejected item says why")
            XCTAssertEqual(try job.orders().keys.sorted(), [ImportWorkspace.uuid(1), ImportWorkspace.uuid(2)],
                           "answered stored: in the store when the answer arrives")

            let again = try ServeProcess.results(try server.post(orders: body))
            XCTAssertEqual(again.map { $0["status"] as? String }, ["unchanged", "rejected", "unchanged"])

            let changed = try ImportWorkspace.offlineOrder(2, replacing: ["\"amount_paid\": 60": "\"amount_paid\": 61"])
            XCTAssertEqual(try ServeProcess.results(try server.post(orders: changed)).map { $0["status"] as? String }, ["new_version"])
            XCTAssertEqual(try job.orders().count, 2, "a new version is not a new order")
            XCTAssertTrue(try job.events(ImportWorkspace.uuid(1)).contains { $0.contains("request") }, "events name the request")

            // The manager's token may add orders too; JSON Lines is a shape the source accepts.
            let lines = try [3, 4].map { try ImportWorkspace.offlineOrder($0).replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
            XCTAssertEqual(try ServeProcess.results(try server.post(orders: lines, token: ServeProcess.managerToken)).map { $0["status"] as? String },
                           ["stored", "stored"])
            XCTAssertEqual(server.stop(), 0, "SIGTERM stops it cleanly: \(server.log)")
        }
    }

    func testEveryRefusalHasItsStatusAndAJSONError() throws {
        let (_, server, standIn) = try serving()
        defer { standIn.stop() }
        let order = try ImportWorkspace.offlineOrder(1)
        let ingest = ServeProcess.ingestToken, manager = ServeProcess.managerToken

        let reply = try server.request("POST", "/api/v1/sources/pos/orders", body: Data(order.utf8))
        XCTAssertEqual(reply.status, 401)
        XCTAssertEqual(reply.headers["www-authenticate"], "Bearer realm=\"cadang\"")
        XCTAssertNotNil(reply.error)
        XCTAssertEqual(try server.request("POST", "/api/v1/sources/pos/orders", token: "not-a-token-of-this-server", body: Data(order.utf8)).status, 401)
        XCTAssertEqual(try server.request("POST", "/api/v1/sources/pos/orders", token: String(ingest.dropLast()), body: Data(order.utf8)).status, 401,
                       "a token missing its last character is no token")
        for path in ["/api/v1/sources/pos/stats", "/api/v1/sources/pos/orders", "/api/v1/sets"] {
            XCTAssertEqual(try server.request("GET", path).status, 401, path)
            let refused = try server.request("GET", path, token: ingest)
            XCTAssertEqual(refused.status, 403, path)
            XCTAssertEqual(refused.error, "the ingest token may only add orders; this needs the manager token")
        }
        for path in ["/api/v1/sources/pos/import", "/api/v1/sources/pos/cleanup"] {
            XCTAssertEqual(try server.request("POST", path, token: ingest, body: Data(#"{"dry_run": true}"#.utf8)).status, 403, path)
        }
        XCTAssertEqual(try server.post(orders: order, source: "gudang").status, 404)
        XCTAssertEqual(try server.request("GET", "/api/v1/sources/gudang/orders", token: manager).status, 404)
        XCTAssertEqual(try server.request("GET", "/api/v1/sources/pos/orders/no-such-key", token: manager).status, 404)
        XCTAssertEqual(try server.request("GET", "/api/v1/nothing/here", token: manager).status, 404)

        let tooLarge = try server.post(orders: "[" + Array(repeating: order, count: 40).joined(separator: ",") + "]")
        XCTAssertEqual(tooLarge.status, 413, "max_body_bytes is 65536 in this config")
        XCTAssertTrue(tooLarge.error?.contains("max_body_bytes") == true, tooLarge.text)
        let notJSON = try server.post(orders: "<html>not an order</html>")
        XCTAssertEqual(notJSON.status, 400)
        XCTAssertNotNil(notJSON.error)
        XCTAssertEqual(try server.request("GET", "/api/v1/sources/pos/orders?colour=red", token: manager).status, 400)
        XCTAssertEqual(try server.request("GET", "/api/v1/sources/pos/orders?state=lost", token: manager).status, 400)
        XCTAssertEqual(try server.request("GET", "/api/v1/sources/pos/orders?page=0", token: manager).status, 400)
        XCTAssertEqual(try server.request("GET", "/api/v1/sources/pos/orders?from=2026-13-40", token: manager).status, 400)
        let short = try server.request("POST", "/api/v1/sources/pos/cleanup", token: manager, body: Data(#"{"older_than": "3d", "dry_run": true}"#.utf8))
        XCTAssertEqual(short.status, 400, "cleanup keeps at least 7 days, from the API too")
        XCTAssertTrue(short.error?.contains("7 days") == true, short.text)
        XCTAssertEqual(try server.request("POST", "/api/v1/sources/pos/import", token: manager, body: Data(#"{"select": []}"#.utf8)).status, 400,
                       "an empty choice is not everything")
        XCTAssertEqual(try server.request("POST", "/api/v1/sources/pos/import", token: manager, body: Data(#"{"colour": "red"}"#.utf8)).status, 400)
        XCTAssertEqual(try server.request("POST", "/api/v1/sources/pos/import", token: manager, body: Data("[1, 2]".utf8)).status, 400)
        XCTAssertEqual(try server.request("GET", "/healthz").status, 200)

        XCTAssertFalse(server.log.contains(ingest) || server.log.contains(manager), "tokens never reach the log")
    }

    func testTheManagersEndpointsGiveWhatTheCommandsGive() throws {
        let (job, server, standIn) = try serving()
        defer { standIn.stop() }
        let manager = ServeProcess.managerToken
        // 120 orders over three sessions; Odoo has none of them.
        let orders = try (1...120).map { try ImportWorkspace.offlineOrder($0, replacing: ["\"session_id\": 42": "\"session_id\": \(40 + $0 % 3)"]) }
        for start in stride(from: 0, to: 120, by: 20) {
            XCTAssertEqual(try server.post(orders: "[" + orders[start..<start + 20].joined(separator: ",") + "]").status, 200)
        }
        XCTAssertEqual(try job.cadang(["verify", "pos"]).status, 0)
        XCTAssertEqual(try job.cadang(["run", "pos"]).status, 0, "a set, for the sets endpoint")

        let stats = try server.request("GET", "/api/v1/sources/pos/stats", token: manager)
        XCTAssertEqual(stats.status, 200, stats.text)
        let command = try JSONSerialization.jsonObject(with: Data(try job.cadang(["stats", "pos", "--json"]).stdout.utf8)) as? [String: Any]
        XCTAssertEqual(try stats.json() as? NSDictionary, command?["pos"] as? NSDictionary)

        let sets = try server.request("GET", "/api/v1/sets", token: manager)
        XCTAssertEqual(sets.status, 200)
        let listed = try JSONSerialization.jsonObject(with: Data(try job.cadang(["list", "--json"]).stdout.utf8))
        XCTAssertEqual(try sets.json() as? NSArray, listed as? NSArray)

        func page(_ query: String) throws -> [String: Any] {
            let reply = try server.request("GET", "/api/v1/sources/pos/orders" + query, token: manager)
            XCTAssertEqual(reply.status, 200, reply.text)
            return try XCTUnwrap(try reply.json() as? [String: Any])
        }
        let all = try page("")
        XCTAssertEqual(all["total"] as? Int, 120)
        XCTAssertEqual(all["pages"] as? Int, 3)
        let rows = try XCTUnwrap(all["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 50)
        guard rows.count == 50 else { return }
        XCTAssertEqual(Set(rows[0].keys), Set(["key", "uuid", "access_token", "pos_reference", "name", "session_id", "config_id", "company_id",
                                               "user_id", "partner_id", "order_date", "captured_at", "received_at", "amount_total", "amount_tax",
                                               "amount_paid", "amount_return", "lines", "payments", "state", "versions", "content_sha256",
                                               "last_checked_at", "matched_order_id", "verified_at", "imported_at", "imported_by", "last_error"]),
                       "a page's rows are the orders dataset's")
        XCTAssertEqual(rows[0]["amount_total"] as? Double, 55.5)
        XCTAssertEqual((try page("?page=3")["rows"] as? [Any])?.count, 20)
        XCTAssertEqual(try page("?session=41")["total"] as? Int, 40)
        XCTAssertEqual(try page("?missing=1")["total"] as? Int, 120)
        XCTAssertEqual(try page("?state=verified")["total"] as? Int, 0)
        XCTAssertEqual(try page("?from=2026-01-11&to=2026-01-11")["total"] as? Int, 120)
        XCTAssertEqual(try page("?to=2026-01-10")["total"] as? Int, 0)
        let found = try page("?q=Order%2000042-003-0017")
        XCTAssertEqual((found["rows"] as? [[String: Any]])?.map { $0["key"] as? String }, [ImportWorkspace.uuid(17)], "a reference in any spelling finds its order")

        let record = try server.request("GET", "/api/v1/sources/pos/orders/\(ImportWorkspace.uuid(5))", token: manager)
        XCTAssertEqual(record.status, 200)
        let detail = try XCTUnwrap(try record.json() as? [String: Any])
        XCTAssertEqual(detail["key"] as? String, ImportWorkspace.uuid(5))
        let tables = try XCTUnwrap(detail["tables"] as? [[String: Any]])
        XCTAssertEqual(tables.map { $0["name"] as? String }, ["versions", "lines", "events"])
        XCTAssertEqual((tables[1]["rows"] as? [Any])?.count, 2, "the example's two lines")
        XCTAssertTrue(((detail["documents"] as? [[String: Any]])?.first?["text"] as? String)?.contains(ImportWorkspace.uuid(5)) == true)
    }

    func testImportAndCleanupThroughTheAPIAreTheCommandsOperations() throws {
        let (job, server, standIn) = try serving()
        defer { standIn.stop() }
        let manager = ServeProcess.managerToken
        XCTAssertEqual(try server.post(orders: "[" + (try (1...4).map { try ImportWorkspace.offlineOrder($0) }).joined(separator: ",") + "]").status, 200)
        XCTAssertEqual(try job.cadang(["verify", "pos"]).status, 0)

        func post(_ path: String, _ body: String) throws -> [String: Any] {
            let reply = try server.request("POST", path, token: manager, body: Data(body.utf8))
            XCTAssertEqual(reply.status, 200, reply.text)
            return try XCTUnwrap(try reply.json() as? [String: Any], reply.text)
        }
        let preview = try post("/api/v1/sources/pos/import", #"{"select": ["\#(ImportWorkspace.uuid(2))", "\#(ImportWorkspace.uuid(3))"], "dry_run": true}"#)
        XCTAssertEqual(preview["orders"] as? [String], [ImportWorkspace.uuid(2), ImportWorkspace.uuid(3)])
        XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 0, "a preview sends nothing")
        let dryRunCommand = try job.cadang(["restore", "pos", "--select", ImportWorkspace.uuid(2), ImportWorkspace.uuid(3), "--dry-run", "--json"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(dryRunCommand.stdout.utf8)) as? [String: Any])?["pos"] as? NSDictionary,
                       preview as NSDictionary, "the preview is the command's dry run")

        let imported = try post("/api/v1/sources/pos/import", #"{"select": ["\#(ImportWorkspace.uuid(2))", "\#(ImportWorkspace.uuid(3))"]}"#)
        XCTAssertEqual((imported["imported"] as? [[String: Any]])?.map { $0["key"] as? String }, [ImportWorkspace.uuid(2), ImportWorkspace.uuid(3)])
        XCTAssertEqual(try job.odooCopies(), [ImportWorkspace.uuid(2): 1, ImportWorkspace.uuid(3): 1])
        XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(2)]?[0], "imported")
        XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(1)]?[0], "synced", "only the chosen orders")

        let byFilter = try post("/api/v1/sources/pos/import", #"{"from": "2026-01-11", "to": "2026-01-11"}"#)
        XCTAssertEqual((byFilter["imported"] as? [[String: Any]])?.map { $0["key"] as? String }, [ImportWorkspace.uuid(1), ImportWorkspace.uuid(4)])
        XCTAssertEqual(try job.odooCopies().values.sorted(), [1, 1, 1, 1], "never a second copy")

        let cleanupPreview = try post("/api/v1/sources/pos/cleanup", #"{"older_than": "7d", "select": ["\#(ImportWorkspace.uuid(1))"], "dry_run": true}"#)
        XCTAssertEqual(((cleanupPreview["records"] as? [String: Any])?["remove"] as? [[String: Any]])?.map { $0["key"] as? String },
                       [ImportWorkspace.uuid(1)])
        XCTAssertEqual(try job.orders().count, 4, "a preview removes nothing")
        let cleaned = try post("/api/v1/sources/pos/cleanup", #"{"older_than": "7d"}"#)
        XCTAssertEqual(((cleaned["records"] as? [String: Any])?["remove"] as? [Any])?.count, 4)
        XCTAssertEqual(try job.orders().count, 0)
    }

    func testServeRefusesToStartWithoutTokensOrOnABadAddress() throws {
        let workspace = try Workspace(config: """
            repository: ./backups
            sources:
              pos: { plugin: pos-orders }
            jobs:
              pos: { sources: [pos], sinks: [] }
            """)
        let none = try CLI.cadang.run(["serve", "--listen", "127.0.0.1:0"], in: workspace.url)
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("no token"), none.stderr)
        try workspace.write("cadang.yaml", """
            repository: ./backups
            sources:
              pos: { plugin: pos-orders }
            jobs:
              pos: { sources: [pos], sinks: [] }
            serve:
              tokens: { ingest: "${CADANG_INGEST_TOKEN}", manager: "${CADANG_MANAGER_TOKEN}" }
            """)
        let unset = try CLI.cadang.run(["serve"], in: workspace.url, unset: ["CADANG_INGEST_TOKEN", "CADANG_MANAGER_TOKEN"])
        XCTAssertEqual(unset.status, 2)
        XCTAssertTrue(unset.stderr.contains("CADANG_INGEST_TOKEN"), unset.stderr)
        let address = try CLI.cadang.run(["serve", "--listen", "localhost"], in: workspace.url, environment: ServeProcess.environment)
        XCTAssertEqual(address.status, 2)
        XCTAssertTrue(address.stderr.contains("--listen must be HOST:PORT"), address.stderr)

        let first = try ServeProcess(in: workspace.url)
        let busy = try CLI.cadang.run(["serve", "--listen", "127.0.0.1:\(first.url.port ?? 0)"], in: workspace.url, environment: ServeProcess.environment)
        XCTAssertEqual(busy.status, 1)
        XCTAssertEqual(busy.stderr.split(separator: "\n").count, 1, busy.stderr)
        XCTAssertTrue(busy.stderr.contains("\(first.url.port ?? 0)"), busy.stderr)
    }
}
