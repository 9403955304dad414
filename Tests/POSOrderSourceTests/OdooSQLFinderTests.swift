import CadangCore
import Foundation
import POSOrderSource
import POSTestSupport
import PostgresSupport
import XCTest

/// The SQL finder on the stand-in's real pos_order table: the same cases as the JSON-RPC finder,
/// the same answers, one query per big chunk, and one clear exit-1 line when it cannot read.
final class OdooSQLFinderTests: XCTestCase {
    private func lookup(_ key: String, uuid: String? = nil, token: String? = nil, name: String? = nil,
                        reference: String? = nil) -> OrderLookup {
        OrderLookup(key: key, uuid: uuid, accessToken: token, name: name, posReference: reference)
    }

    func testOfflineReferenceWithAndWithoutTheOrderWord() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let withWord = try standIn.insertOrder(uuid: "u-1", posReference: "Order 00042-003-0017")
        let bare = try standIn.insertOrder(uuid: "u-2", posReference: "00042-003-0018")
        let matches = try OdooSQLOrderFinder(conninfo: standIn.odooConninfo)
            .find([lookup("a", reference: "00042-003-0017"), lookup("b", reference: "00042-003-0018")])
        XCTAssertEqual(matches.map(\.key), ["a", "b"])
        XCTAssertEqual(matches.map(\.odooID), [withWord, bare])
        XCTAssertEqual(matches.map(\.matchedBy), [.reference, .reference])
    }

    func testAnOrderOdooMovedToAnotherSessionStillMatches() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        // The payload says session 42 (closed); Odoo put the order into 43.
        let id = try standIn.insertOrder(uuid: "u-moved", posReference: "Order 00042-003-0017", sessionID: 43)
        let matches = try OdooSQLOrderFinder(conninfo: standIn.odooConninfo)
            .find([lookup("k", uuid: "u-moved", name: "Order 00042-003-0017", reference: "00042-003-0017")])
        XCTAssertEqual(matches, [OdooOrderMatch(key: "k", odooID: id, sessionID: 43, state: "paid", matchedBy: .uuid)])
    }

    func testATranslatedPrefixFromThePayloadsName() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let id = try standIn.insertOrder(uuid: "other", posReference: "Pesanan 00042-003-0017")
        let matches = try OdooSQLOrderFinder(conninfo: standIn.odooConninfo)
            .find([lookup("k", uuid: "u-not-in-odoo", name: "Pesanan 00042-003-0017", reference: "00042-003-0017")])
        XCTAssertEqual(matches.map(\.odooID), [id])
        XCTAssertEqual(matches.map(\.matchedBy), [.reference])
    }

    func testUUIDBeatsTokenBeatsReference() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let byReference = try standIn.insertOrder(uuid: "u-r", accessToken: "t-r", posReference: "Order 00042-003-0017")
        let byToken = try standIn.insertOrder(uuid: "u-t", accessToken: "t1", posReference: nil)
        let byUUID = try standIn.insertOrder(uuid: "u1", accessToken: "t-u", posReference: nil)
        let finder = try OdooSQLOrderFinder(conninfo: standIn.odooConninfo)
        let name = "Order 00042-003-0017", reference = "00042-003-0017"
        let all = try finder.find([lookup("k", uuid: "u1", token: "t1", name: name, reference: reference)])
        XCTAssertEqual(all.map(\.odooID), [byUUID])
        XCTAssertEqual(all.map(\.matchedBy), [.uuid])
        let token = try finder.find([lookup("k", uuid: "gone", token: "t1", name: name, reference: reference)])
        XCTAssertEqual(token.map(\.odooID), [byToken])
        XCTAssertEqual(token.map(\.matchedBy), [.accessToken])
        let onlyReference = try finder.find([lookup("k", uuid: "gone", token: "gone", name: name, reference: reference)])
        XCTAssertEqual(onlyReference.map(\.odooID), [byReference])
        XCTAssertEqual(onlyReference.map(\.matchedBy), [.reference])
    }

    func testTenThousandLookupsTakeAtMostTenQueries() throws {
        for uuidUnique in [false, true] {
            let standIn = try OdooStandIn.start(uuidUnique: uuidUnique, seedOrders: 9_900)
            defer { standIn.stop() }
            let (lookups, expected) = try OdooTest.seededLookups(standIn)
            XCTAssertEqual(lookups.count, 10_000)
            // The default chunk is one query; chunks of 1,000 are the contract's limit of ten.
            for (chunk, queries) in [(OdooSQLOrderFinder.defaultChunk, 1), (1_000, 10)] {
                let finder = try OdooSQLOrderFinder(conninfo: standIn.odooConninfo, chunkSize: chunk)
                let matches = try finder.find(lookups)
                XCTAssertEqual(finder.queryCount, queries, "uuidUnique \(uuidUnique), chunk \(chunk)")
                XCTAssertEqual(matches.count, 9_900, "uuidUnique \(uuidUnique), chunk \(chunk)")
                for match in matches {
                    let want = try XCTUnwrap(expected[match.key], "unexpected match \(match.key)")
                    XCTAssertEqual(match.odooID, want.0)
                    XCTAssertEqual(match.matchedBy, want.1)
                    XCTAssertEqual(match.sessionID, 1000)
                }
            }
        }
    }

    func testTheJSONRPCAndSQLFindersGiveTheSameMatches() throws {
        for uuidUnique in [false, true] {
            let standIn = try OdooStandIn.start(uuidUnique: uuidUnique, seedOrders: 2_500)
            defer { standIn.stop() }
            var (lookups, _) = try OdooTest.seededLookups(standIn)
            // The hard cases next to the bulk: a moved order, a translated word, a bare reference,
            // one row two lookups want, and (without UNIQUE) a uuid Odoo holds twice.
            try standIn.insertOrder(uuid: "moved", posReference: "Order 00042-003-0017", sessionID: 43)
            try standIn.insertOrder(uuid: "x-1", posReference: "Pesanan 00042-003-0018")
            try standIn.insertOrder(uuid: "x-2", accessToken: "tok-2", posReference: "00042-003-0019")
            try standIn.insertOrder(uuid: "shared", posReference: "Order 00042-003-0020")
            if !uuidUnique {
                try standIn.insertOrder(uuid: "twice", posReference: nil)
                try standIn.insertOrder(uuid: "twice", posReference: nil)
                lookups.append(lookup("twice", uuid: "twice"))
            }
            lookups += [lookup("moved", uuid: "moved", name: "Order 00042-003-0017", reference: "00042-003-0017"),
                        lookup("pesanan", uuid: "nope", name: "Pesanan 00042-003-0018", reference: "00042-003-0018"),
                        lookup("bare", reference: "00042-003-0019"),
                        lookup("weak", reference: "00042-003-0020"),
                        lookup("strong", uuid: "shared")]

            let rpc = try OdooRPCOrderFinder(client: OdooTest.client(standIn, .reader, timeout: 60)).find(lookups)
            for chunk in [1_000, OdooSQLOrderFinder.defaultChunk] {
                let sql = try OdooSQLOrderFinder(conninfo: standIn.odooConninfo, chunkSize: chunk).find(lookups)
                XCTAssertEqual(sql, rpc, "uuidUnique \(uuidUnique), chunk \(chunk)")
            }
            XCTAssertGreaterThan(rpc.count, 2_500)
            XCTAssertFalse(rpc.contains { $0.key == "weak" }, "the row goes to the lookup that has its uuid")
        }
    }

    func testPayloadTextCannotChangeTheQuery() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        // What an array literal or SQL would read as syntax: quotes, backslashes, braces, commas,
        // NULL, spaces at the ends, and non-ASCII.
        let nasty = ["a\"b", "c\\d", "{e,f}", "NULL", " g ", "h'); DROP TABLE pos_order; --", "Pésanan 東京"]
        var ids: [Int] = []
        for (index, text) in nasty.enumerated() {
            ids.append(try standIn.insertOrder(uuid: text, accessToken: "tok \(text)", posReference: "ref \(index) \(text)"))
        }
        try standIn.insertOrder(uuid: nil, posReference: nil)
        let finder = try OdooSQLOrderFinder(conninfo: standIn.odooConninfo)
        let byUUID = try finder.find(nasty.enumerated().map { lookup("u\($0.offset)", uuid: $0.element) })
        XCTAssertEqual(byUUID.map(\.odooID), ids)
        let byToken = try finder.find(nasty.enumerated().map { lookup("t\($0.offset)", token: "tok \($0.element)") })
        XCTAssertEqual(byToken.map(\.odooID), ids)
        let byReference = try finder.find(nasty.enumerated().map { lookup("r\($0.offset)", name: "ref \($0.offset) \($0.element)") })
        XCTAssertEqual(byReference.map(\.odooID), ids)
        XCTAssertEqual(try standIn.execute("SELECT count(*) FROM pos_order"), ["\(nasty.count + 1)"])
        // Lookups with nothing to look for send no query at all.
        let empty = try OdooSQLOrderFinder(conninfo: standIn.odooConninfo)
        XCTAssertEqual(try empty.find([lookup("nothing"), lookup("blank", uuid: "", token: "", name: "")]), [])
        XCTAssertEqual(empty.queryCount, 0)
    }
}

/// Rights and failures: a role with only SELECT on pos_order is enough; anything less, a server
/// that is down or a connection lost gives one exit-1 line naming the target, never the password.
extension OdooSQLFinderTests {
    /// A login role that may connect to the stand-in's database and, with `select`, read pos_order
    /// only; TEMP is revoked, as a careful DBA does.
    private func readOnlyRole(_ standIn: OdooStandIn, select: Bool) throws -> (name: String, conninfo: String) {
        let name = "verify_" + UUID().uuidString.prefix(8).lowercased()
        try standIn.execute("""
            CREATE ROLE \(name) LOGIN; GRANT CONNECT ON DATABASE "\(standIn.databaseName)" TO \(name);
            REVOKE TEMPORARY ON DATABASE "\(standIn.databaseName)" FROM PUBLIC
            """)
        if select { try standIn.execute("GRANT SELECT ON pos_order TO \(name)") }
        // The password is ignored (the test server trusts its socket) but must never be shown.
        return (name, try TestPostgres.conninfo(standIn.odooConninfo, setting: ["user": name, "password": "pw-s3cret-42"]))
    }

    /// The CadangError `body` throws; fails the test when it throws none or another error.
    private func cadangError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> CadangError? {
        do {
            try body()
            XCTFail("expected a CadangError, got none", file: file, line: line)
        } catch let error as CadangError {
            return error
        } catch {
            XCTFail("expected a CadangError, got \(error)", file: file, line: line)
        }
        return nil
    }

    private func assertOneClearLine(_ error: CadangError?, target: String, contains: [String],
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        let error = try XCTUnwrap(error, file: file, line: line)
        XCTAssertEqual(error.status, .failure, file: file, line: line)
        XCTAssertEqual(error.status.rawValue, 1, file: file, line: line)
        let text = error.description
        XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
        XCTAssertFalse(text.contains("pw-s3cret-42"), text, file: file, line: line)
        XCTAssertTrue(text.contains(target), "\(text) does not name \(target)", file: file, line: line)
        for part in contains { XCTAssertTrue(text.contains(part), "\(text) lacks \(part)", file: file, line: line) }
    }

    func testARoleWithOnlySelectOnPosOrderIsEnough() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let id = try standIn.insertOrder(uuid: "u-ro", posReference: "Order 00042-003-0017")
        let role = try readOnlyRole(standIn, select: true)
        let finder = try OdooSQLOrderFinder(conninfo: role.conninfo)
        XCTAssertEqual(try finder.find([lookup("k", uuid: "u-ro")]).map(\.odooID), [id])
        XCTAssertEqual(try finder.find([lookup("k", reference: "00042-003-0017")]).map(\.odooID), [id])
        // It cannot make a temporary table, so the finder does not need one.
        let connection = try PostgresConnection(role.conninfo)
        XCTAssertThrowsError(try connection.run("CREATE TEMP TABLE t (x int)"))
    }

    func testARoleWithoutSelectGetsTheGrantFix() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let role = try readOnlyRole(standIn, select: false)
        let finder = try OdooSQLOrderFinder(conninfo: role.conninfo)
        let error = cadangError { _ = try finder.find([lookup("k", uuid: "u")]) }
        try assertOneClearLine(error, target: PostgresConnectionString.redacted(role.conninfo),
                               contains: ["cannot read pos_order in Odoo's database \"", "permission denied", "42501",
                                          "GRANT SELECT ON pos_order TO \"\(role.name)\""])
    }

    func testAServerThatIsDownIsOneExitOneLine() throws {
        // A socket folder with no server in it: what a stopped PostgreSQL looks like to libpq.
        let down = try TestPostgres.conninfo(try TestPostgres.serverConninfo(),
                                             setting: ["port": "1", "dbname": "odoo", "password": "pw-s3cret-42"])
        let started = Date()
        let error = cadangError { _ = try OdooSQLOrderFinder(conninfo: down) }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        try assertOneClearLine(error, target: PostgresConnectionString.redacted(down),
                               contains: ["cannot connect to Odoo's database \"", "check odoo.postgres"])
    }

    func testADatabaseThatIsNotOdoosNamesDbname() throws {
        let database = try TestPostgres.makeDatabase("notodoo")
        defer { try? database.drop() }
        let finder = try OdooSQLOrderFinder(conninfo: database.conninfo)
        let error = cadangError { _ = try finder.find([lookup("k", uuid: "u")]) }
        try assertOneClearLine(error, target: PostgresConnectionString.redacted(database.conninfo),
                               contains: ["42P01", "check dbname in odoo.postgres"])
    }

    func testAConnectionLostMidwayIsOneExitOneLine() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let conninfo = try TestPostgres.conninfo(standIn.odooConninfo, setting: ["application_name": "sqlfinder-lost"])
        let finder = try OdooSQLOrderFinder(conninfo: conninfo)
        try standIn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sqlfinder-lost'")
        let error = cadangError { _ = try finder.find([lookup("k", uuid: "u")]) }
        try assertOneClearLine(error, target: PostgresConnectionString.redacted(conninfo),
                               contains: ["cannot read pos_order in Odoo's database \"", "check odoo.postgres"])
    }
}
