import POSOrderSource
import XCTest

/// The pure matcher: uuid, then access_token, then normalised reference; never the session.
final class OdooOrderMatchingTests: XCTestCase {
    private func row(_ id: Int, uuid: String? = nil, token: String? = nil, reference: String? = nil,
                     session: Int? = 43) -> OdooOrderRow {
        OdooOrderRow(id: id, uuid: uuid, accessToken: token, posReference: reference, sessionID: session, state: "paid")
    }

    func testNormalisedReference() {
        XCTAssertEqual(OrderReference.normalised("00042-003-0017"), "00042-003-0017")
        XCTAssertEqual(OrderReference.normalised("Order 00042-003-0017"), "00042-003-0017")
        XCTAssertEqual(OrderReference.normalised("Pesanan 00042-003-0017 "), "00042-003-0017")
        XCTAssertNil(OrderReference.normalised("Shop/0017"))
        // A session past 99999 has six digits: its own reference, never folded into session 00042's.
        XCTAssertEqual(OrderReference.normalised("Order 100042-003-0017"), "100042-003-0017")
        XCTAssertNotEqual(OrderReference.normalised("100042-003-0017"), OrderReference.normalised("00042-003-0017"))
        XCTAssertNil(OrderReference.normalised("0042-003-0017"))
    }

    func testUUIDBeatsTokenBeatsReference() {
        let lookup = OrderLookup(key: "k", uuid: "u1", accessToken: "t1", name: "Order 00042-003-0017", posReference: "00042-003-0017")
        let rows = [row(1, reference: "Order 00042-003-0017"), row(2, token: "t1"), row(3, uuid: "u1")]
        XCTAssertEqual(OrderMatching.match([lookup], rows).map(\.odooID), [3])
        XCTAssertEqual(OrderMatching.match([lookup], Array(rows.prefix(2))).map(\.matchedBy), [.accessToken])
        XCTAssertEqual(OrderMatching.match([lookup], [rows[0]]).map(\.matchedBy), [.reference])
    }

    func testAnOrderOdooMovedToAnotherSessionStillMatches() {
        // Payload session 42 (closed); Odoo put the order into 43.
        let lookup = OrderLookup(key: "k", uuid: "u1", accessToken: nil, name: "Order 00042-003-0017", posReference: "00042-003-0017")
        let match = OrderMatching.match([lookup], [row(9, uuid: "u1", reference: "Order 00042-003-0017", session: 43)])
        XCTAssertEqual(match, [OdooOrderMatch(key: "k", odooID: 9, sessionID: 43, state: "paid", matchedBy: .uuid)])
    }

    func testOfflineReferenceWithAndWithoutTheOrderWord() {
        let offline = OrderLookup(key: "off", uuid: nil, accessToken: nil, name: nil, posReference: "00042-003-0017")
        XCTAssertEqual(offline.referenceCandidates, ["00042-003-0017", "Order 00042-003-0017"])
        XCTAssertEqual(OrderMatching.match([offline], [row(1, reference: "Order 00042-003-0017")]).map(\.odooID), [1])
        XCTAssertEqual(OrderMatching.match([offline], [row(2, reference: "00042-003-0017")]).map(\.odooID), [2])
    }

    func testATranslatedPrefixFromThePayloadsName() {
        let lookup = OrderLookup(key: "id", uuid: "u-not-in-odoo", accessToken: nil,
                                 name: "Pesanan 00042-003-0017", posReference: "00042-003-0017")
        XCTAssertTrue(lookup.referenceCandidates.contains("Pesanan 00042-003-0017"))
        let match = OrderMatching.match([lookup], [row(5, uuid: "other", reference: "Pesanan 00042-003-0017")])
        XCTAssertEqual(match.map(\.matchedBy), [.reference])
    }

    func testOneRowMatchingTwoLookupsGoesToTheBetterKey() {
        // Lookup A finds the row by reference only, B by its uuid: B wins, A stays unmatched.
        let a = OrderLookup(key: "A", uuid: nil, accessToken: nil, name: nil, posReference: "00042-003-0017")
        let b = OrderLookup(key: "B", uuid: "u1", accessToken: nil, name: nil, posReference: nil)
        let matches = OrderMatching.match([a, b], [row(7, uuid: "u1", reference: "Order 00042-003-0017")])
        XCTAssertEqual(matches.map(\.key), ["B"])
        // Two rows with the same uuid (no UNIQUE before mid-2025): the lookup gets one, the lower id.
        let twice = OrderMatching.match([b], [row(12, uuid: "u1"), row(11, uuid: "u1")])
        XCTAssertEqual(twice.map(\.odooID), [11])
    }

    func testNothingMatchesNothing() {
        let lookup = OrderLookup(key: "k", uuid: "u", accessToken: "t", name: "Shop/0017", posReference: nil)
        XCTAssertEqual(OrderMatching.match([lookup], [row(1, uuid: "x", token: "y", reference: "Order 00001-001-0001")]), [])
    }
}
