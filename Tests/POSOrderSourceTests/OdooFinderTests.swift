import POSOrderSource
import POSTestSupport
import XCTest

/// The JSON-RPC finder: one search_read per batch of ≤ 1,000 lookups, every identity in one domain.
final class OdooFinderTests: XCTestCase {
    func testTenThousandLookupsTakeAtMostTenCalls() throws {
        for uuidUnique in [false, true] {
            let standIn = try OdooStandIn.start(uuidUnique: uuidUnique, seedOrders: 9_900)
            defer { standIn.stop() }
            let (lookups, expected) = try OdooTest.seededLookups(standIn)
            XCTAssertEqual(expected.count, 9_900)
            XCTAssertEqual(lookups.count, 10_000)

            try standIn.resetCalls()
            let matches = try OdooRPCOrderFinder(client: OdooTest.client(standIn, .reader, timeout: 60)).find(lookups)
            let calls = try standIn.calls()
            XCTAssertLessThanOrEqual(calls.count("pos.order.search_read"), 10)
            XCTAssertEqual(calls.total, calls.count("pos.order.search_read") + calls.count("common.login"))

            XCTAssertEqual(matches.count, 9_900, "uuidUnique \(uuidUnique)")
            for match in matches {
                let want = try XCTUnwrap(expected[match.key], "unexpected match \(match.key)")
                XCTAssertEqual(match.odooID, want.0)
                XCTAssertEqual(match.matchedBy, want.1)
                XCTAssertEqual(match.sessionID, 1000)
            }
        }
    }

    func testTheDomainHasOneLegPerIdentityKind() {
        let lookups = [OrderLookup(key: "a", uuid: "u", accessToken: nil, name: "Order 00042-003-0017", posReference: "00042-003-0017"),
                       OrderLookup(key: "b", uuid: "v", accessToken: "t", name: nil, posReference: nil)]
        let domain = OdooRPCOrderFinder.searchDomain(for: lookups)
        XCTAssertEqual(domain.count, 5)
        XCTAssertEqual(domain.prefix(2).compactMap { $0 as? String }, ["|", "|"])
        let legs = domain.dropFirst(2).compactMap { $0 as? [Any] }
        XCTAssertEqual(legs.compactMap { $0.first as? String }, ["uuid", "access_token", "pos_reference"])
        XCTAssertEqual(legs[2][2] as? [String], ["Order 00042-003-0017", "00042-003-0017"])
        XCTAssertEqual(OdooRPCOrderFinder.searchDomain(for: [OrderLookup(key: "c", uuid: "w", accessToken: nil,
                                                                        name: nil, posReference: nil)]).count, 1)
    }
}
