import POSOrderSource
import POSTestSupport
import XCTest

/// The JSON-RPC finder: one search_read per batch of ≤ 1,000 lookups, every identity in one domain.
final class OdooFinderTests: XCTestCase {
    func testTenThousandLookupsTakeAtMostTenCalls() throws {
        for uuidUnique in [false, true] {
            let standIn = try OdooStandIn.start(uuidUnique: uuidUnique, seedOrders: 9_900)
            defer { standIn.stop() }
            let rows = try standIn.execute("SELECT id, uuid, access_token, pos_reference FROM pos_order ORDER BY id")
            XCTAssertEqual(rows.count, 9_900)
            var lookups: [OrderLookup] = []
            var expected: [String: (Int, OdooOrderMatch.MatchedBy)] = [:]
            for (index, line) in rows.enumerated() {
                let column = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                let id = try XCTUnwrap(Int(column[0]))
                let key = "k\(index)"
                switch index % 3 {
                case 0:
                    lookups.append(OrderLookup(key: key, uuid: column[1], accessToken: nil, name: nil, posReference: nil))
                    expected[key] = (id, .uuid)
                case 1:
                    lookups.append(OrderLookup(key: key, uuid: "gone-\(index)", accessToken: column[2], name: nil, posReference: nil))
                    expected[key] = (id, .accessToken)
                default:
                    // The offline shape: pos_reference without the word, name with it.
                    let reference = try XCTUnwrap(OrderReference.normalised(column[3]))
                    lookups.append(OrderLookup(key: key, uuid: nil, accessToken: nil, name: nil, posReference: reference))
                    expected[key] = (id, .reference)
                }
            }
            for missing in 0..<100 {
                lookups.append(OrderLookup(key: "missing\(missing)", uuid: "nope-\(missing)", accessToken: nil,
                                           name: "Order 09999-001-\(String(format: "%04d", missing))", posReference: nil))
            }
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
