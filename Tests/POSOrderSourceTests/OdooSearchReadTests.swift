import POSOrderSource
import POSTestSupport
import XCTest

/// search_read and search_count on the real pos_order table, through the stand-in, with and
/// without the UNIQUE(uuid) of later 18.0 builds.
final class OdooSearchReadTests: XCTestCase {
    private let fields = ["id", "uuid", "access_token", "pos_reference", "session_id", "state"]

    private func records(_ client: OdooClient, _ domain: [Any]) throws -> [[String: Any]] {
        // Not XCTUnwrap(try …): the error tests want the OdooError itself, not a recorded failure.
        let result = try client.executeKw(model: "pos.order", method: "search_read", args: [domain],
                                          kwargs: ["fields": fields])
        return try XCTUnwrap(result as? [[String: Any]])
    }

    func testSearchByUUIDTokenAndReferenceCandidates() throws {
        for uuidUnique in [false, true] {
            let standIn = try OdooStandIn.start(uuidUnique: uuidUnique)
            defer { standIn.stop() }
            let a = try standIn.insertOrder(uuid: "u-a", accessToken: "t-a", posReference: "Order 00042-003-0017", sessionID: 43)
            let b = try standIn.insertOrder(uuid: "u-b", accessToken: "t-b", posReference: "Pesanan 00042-003-0018", sessionID: 42)
            _ = try standIn.insertOrder(uuid: nil, accessToken: nil, posReference: nil)
            let client = OdooTest.client(standIn, .reader)

            let byUUID = try records(client, [["uuid", "in", ["u-a", "nope"]]])
            XCTAssertEqual(byUUID.map { $0["id"] as? Int }, [a], "uuidUnique \(uuidUnique)")
            // many2one as [id, "display name"]; NULL as false
            XCTAssertEqual(byUUID.first?["session_id"] as? [AnyHashable], [43, "POS/00043"])

            XCTAssertEqual(try records(client, [["access_token", "=", "t-b"]]).map { $0["id"] as? Int }, [b])
            let candidates = OrderLookup.candidates(name: "Pesanan 00042-003-0018", posReference: "00042-003-0018")
            XCTAssertEqual(candidates, ["Pesanan 00042-003-0018", "00042-003-0018", "Order 00042-003-0018"])
            XCTAssertEqual(try records(client, [["pos_reference", "in", candidates]]).map { $0["id"] as? Int }, [b])

            let nulls = try records(client, [["uuid", "=", false]])
            XCTAssertEqual(nulls.count, 1)
            XCTAssertEqual(nulls.first?["pos_reference"] as? Bool, false)
        }
    }

    func testDomainOperatorsAndSearchCount() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let a = try standIn.insertOrder(uuid: "u-a", posReference: "Order 00042-003-0017", state: "paid")
        let b = try standIn.insertOrder(uuid: "u-b", posReference: "Order 00042-003-0018", state: "done")
        let c = try standIn.insertOrder(uuid: "u-c", posReference: "Pesanan 00043-001-0001", state: "draft")
        let client = OdooTest.client(standIn)
        func ids(_ domain: [Any]) throws -> [Int] {
            try records(client, domain).compactMap { $0["id"] as? Int }.sorted()
        }
        XCTAssertEqual(try ids(["|", ["state", "=", "paid"], ["state", "=", "draft"]]), [a, c])
        XCTAssertEqual(try ids(["!", ["state", "in", ["paid", "draft"]]]), [b])
        XCTAssertEqual(try ids(["&", ["pos_reference", "=like", "Order %"], ["state", "!=", "done"]]), [a])
        XCTAssertEqual(try ids([["pos_reference", "ilike", "pesanan"]]), [c])
        XCTAssertEqual(try ids([["pos_reference", "like", "003-001"]]), [a, b])
        XCTAssertEqual(try ids([["state", "not in", ["done"]], ["uuid", "!=", "u-a"]]), [c])
        let count = try client.executeKw(model: "pos.order", method: "search_count", args: [[["state", "in", ["paid", "done"]]]])
        XCTAssertEqual(count as? Int, 2)
        let page = try XCTUnwrap(client.executeKw(model: "pos.order", method: "search_read", args: [[]],
                                                  kwargs: ["fields": ["id"], "order": "id desc", "limit": 1, "offset": 1])
                                 as? [[String: Any]])
        XCTAssertEqual(page.compactMap { $0["id"] as? Int }, [b])

        let bad = OdooTest.error { _ = try self.records(client, [["no_such_field", "=", 1]]) }
        XCTAssertEqual(bad?.serverKind, .valueError(field: "no_such_field"))
    }

    func testAUserWithoutReadRightsGetsAccessError() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let error = OdooTest.error { _ = try self.records(OdooTest.client(standIn, .noRights), []) }
        XCTAssertEqual(error?.serverKind, .access(right: "read pos.order"))
        XCTAssertTrue(error?.description.contains("read pos.order") ?? false)
        XCTAssertFalse(error?.description.contains("\n") ?? true)
    }
}
