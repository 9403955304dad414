import POSOrderSource
import POSTestSupport
import XCTest

/// sync_from_ui through the stand-in: rows really written, dedupe by uuid, the closed-session
/// rule, Odoo's errors for an unknown field and a user without point-of-sale rights.
final class OdooSyncFromUITests: XCTestCase {
    func testCreatesTheOrderWithLinesPaymentsAndChangeInAnOpenSession() throws {
        for uuidUnique in [false, true] {
            let standIn = try OdooStandIn.start(uuidUnique: uuidUnique)
            defer { standIn.stop() }
            let result = try OdooTest.sync(OdooTest.client(standIn), [OdooTest.offlineOrder()])
            let order = try XCTUnwrap((result["pos.order"] as? [[String: Any]])?.first)
            let id = try XCTUnwrap(order["id"] as? Int)
            // Session 42 is closed: Odoo used the open session 43 of the same config.
            XCTAssertEqual(order["session_id"] as? Int, 43)
            XCTAssertEqual(try standIn.execute("SELECT name, pos_reference, session_id, state, amount_paid, amount_total, uuid FROM pos_order WHERE id = \(id)"),
                           ["Shop/0018|Order 00042-003-0017|43|paid|55.5|55.50|a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11"])
            XCTAssertEqual(try standIn.execute("SELECT product_id, qty, price_subtotal_incl, company_id FROM pos_order_line WHERE order_id = \(id) ORDER BY id"),
                           ["77|2|30|1", "81|1|25.5|1"])
            XCTAssertEqual(try standIn.execute("SELECT count(*) FROM account_tax_pos_order_line_rel"), ["2"])
            XCTAssertEqual(try standIn.execute("SELECT amount, is_change, coalesce(name, ''), session_id FROM pos_payment WHERE pos_order_id = \(id) ORDER BY id"),
                           ["60|f||43", "-4.5|t|return|43"])
        }
    }

    func testAnOrderAlreadyThereIsNotCreatedTwice() throws {
        for uuidUnique in [false, true] {
            let standIn = try OdooStandIn.start(uuidUnique: uuidUnique)
            defer { standIn.stop() }
            let client = OdooTest.client(standIn)
            let first = try OdooTest.sync(client, [OdooTest.offlineOrder()])
            let second = try OdooTest.sync(client, [OdooTest.offlineOrder()])
            let ids = [first, second].map { (($0["pos.order"] as? [[String: Any]])?.first?["id"] as? Int) }
            XCTAssertEqual(ids[0], ids[1])
            XCTAssertNotNil(ids[0])
            XCTAssertEqual(try standIn.execute("SELECT count(*), (SELECT count(*) FROM pos_payment) FROM pos_order"), ["1|2"])
        }
    }

    func testEarlyBuildsReturnNothingForAPaidOrderAlreadyThere() throws {
        let standIn = try OdooStandIn.start(early: true)
        defer { standIn.stop() }
        let client = OdooTest.client(standIn)
        _ = try OdooTest.sync(client, [OdooTest.offlineOrder()])
        let again = try OdooTest.sync(client, [OdooTest.offlineOrder()])
        XCTAssertEqual((again["pos.order"] as? [Any])?.count, 0)
    }

    func testADraftIsUpdated() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let client = OdooTest.client(standIn)
        var draft = try OdooTest.offlineOrder()
        draft["state"] = "draft"
        draft["payment_ids"] = [Any]()
        draft["amount_return"] = 0
        _ = try OdooTest.sync(client, [draft])
        XCTAssertEqual(try standIn.execute("SELECT name, state FROM pos_order"), ["/|draft"])
        _ = try OdooTest.sync(client, [OdooTest.offlineOrder()])
        XCTAssertEqual(try standIn.execute("SELECT name, state, amount_paid FROM pos_order"), ["Shop/0018|paid|55.5"])
    }

    func testAClosedSessionWithoutAnotherOpenOneIsAUserError() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        try standIn.execute("UPDATE pos_session SET state = 'closing_control' WHERE id = 43")
        let error = OdooTest.error { _ = try OdooTest.sync(OdooTest.client(standIn), [OdooTest.offlineOrder()]) }
        XCTAssertEqual(error?.serverKind, .userError)
        XCTAssertTrue(error?.description.contains("No open session available") ?? false)
        XCTAssertTrue(error?.description.contains("open a session") ?? false)
        XCTAssertEqual(try standIn.execute("SELECT count(*) FROM pos_order"), ["0"])
    }

    func testAnUnknownFieldIsAValueErrorNamingIt() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        var order = try OdooTest.offlineOrder()
        order["backup_date"] = "2026-01-11T02:37:05.412Z"
        let error = OdooTest.error { _ = try OdooTest.sync(OdooTest.client(standIn), [order]) }
        XCTAssertEqual(error?.serverKind, .valueError(field: "backup_date"))
        XCTAssertTrue(error?.description.contains("'backup_date'") ?? false)
        XCTAssertEqual(try standIn.execute("SELECT count(*) FROM pos_order"), ["0"])
    }

    func testUsersWithoutPointOfSaleRightsGetAccessError() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        for user in [OdooStandIn.User.reader, .noRights] {
            let error = OdooTest.error { _ = try OdooTest.sync(OdooTest.client(standIn, user), [OdooTest.offlineOrder()]) }
            XCTAssertEqual(error?.serverKind, .access(right: "create pos.order"))
            XCTAssertEqual(error?.cadangError.status, .failure)
            XCTAssertTrue(error?.description.contains("point-of-sale rights") ?? false)
        }
        XCTAssertEqual(try standIn.execute("SELECT count(*) FROM pos_order"), ["0"])
    }

}
