import CadangCore
import Foundation
import XCTest
@testable import POSOrderSource

/// What an import sends and refuses, without Odoo: the cleaned payload, cadang's own refusals,
/// the day filters, and whose fault an Odoo error is.
final class ImportPayloadTests: XCTestCase {
    private func cleaned(_ payload: [UInt8]) throws -> (text: String, object: [String: Any]) {
        let json = try ImportPayload(cleaning: payload).json
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        return (String(decoding: json, as: UTF8.self), object)
    }

    func testTheCapturesKeysAndTheTillsIdsAreLeftOutAndEverythingElseIsCopiedAsItIs() throws {
        let (text, order) = try cleaned(PayloadExamples.odoo18Offline)
        for key in ["backup_date", "synced", "config_id", "receipt_html", "id"] {
            XCTAssertNil(order[key], key)
        }
        XCTAssertEqual(order["uuid"] as? String, "a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11")
        XCTAssertEqual(order["session_id"] as? Int, 42)
        let lines = try XCTUnwrap(order["lines"] as? [[Any]])
        XCTAssertEqual(lines.count, 2)
        for command in lines {
            XCTAssertEqual(command[0] as? Int, 0)
            let values = try XCTUnwrap(command[2] as? [String: Any])
            XCTAssertNil(values["id"])
            XCTAssertNil(values["order_id"])
            XCTAssertNotNil(values["uuid"], "a line's own uuid stays")
            XCTAssertEqual((values["tax_ids"] as? [[Int]])?.first, [4, 3])
        }
        let payment = try XCTUnwrap((order["payment_ids"] as? [[Any]])?.first?[2] as? [String: Any])
        XCTAssertNil(payment["id"])
        XCTAssertNil(payment["pos_order_id"])
        XCTAssertEqual(payment["payment_method_id"] as? Int, 1)
        // Numbers keep their digits and strings their escapes: the values' text is the capture's.
        XCTAssertTrue(text.contains(#""price_subtotal":27.03,"#), text)
        XCTAssertTrue(text.contains(#""amount":60.0,"#), text)
        XCTAssertTrue(text.contains(#""last_order_preparation_change":"{\"lines\":{},\"generalNote\":\"\",\"sittingMode\":\"dine in\"}""#), text)
        // Only the keys named go: a nested `config_id` or `id` of another object stays.
        let nested = try cleaned(Array(#"{"uuid":"u","id":1,"partner":{"id":7,"config_id":3},"lines":[[0,0,{"id":1,"order_id":2,"x":{"id":3}}],[5]]}"#.utf8))
        XCTAssertEqual(nested.text, #"{"uuid":"u","partner":{"id":7,"config_id":3},"lines":[[0,0,{"x":{"id":3}}],[5]]}"#)
    }

    func testAPayloadThatIsNotAnObjectIsRefused() {
        XCTAssertThrowsError(try ImportPayload(cleaning: Array("[1]".utf8)))
        XCTAssertThrowsError(try ImportPayload(cleaning: Array("{\"a\":".utf8)))
    }

    private func record(_ text: String) throws -> OrderRecord {
        try OrderDecoder.decode(Array(text.utf8)).get()
    }

    func testCadangRefusesWhatOdooWouldStoreWrongly() throws {
        XCTAssertNil(ImportCheck.refusal(try OrderDecoder.decode(PayloadExamples.odoo18Offline).get(), rounding: 0.01))
        XCTAssertEqual(ImportCheck.refusal(try OrderDecoder.decode(PayloadExamples.odoo18Online).get(), rounding: 0.01), ImportCheck.noLines)
        let line = #"[[0,0,{"product_id":77,"qty":1,"price_unit":10,"price_subtotal_incl":10}]]"#
        XCTAssertEqual(ImportCheck.refusal(try record(#"{"access_token":"t","lines":\#(line),"amount_total":10}"#), rounding: 0.01),
                       ImportCheck.noUUID)
        // Paid 10 with change 0 for a total of 10: fine; 9.99 is a cent short; within half a cent is equal.
        func order(_ paid: String, total: String = "10", change: String = "0", extra: String = "") -> String {
            #"{"uuid":"u","lines":\#(line),"amount_total":\#(total),"amount_return":\#(change),"payment_ids":[[0,0,{"payment_method_id":1,"amount":\#(paid)}]\#(extra)]}"#
        }
        XCTAssertNil(ImportCheck.refusal(try record(order("10")), rounding: 0.01))
        XCTAssertNil(ImportCheck.refusal(try record(order("10.004")), rounding: 0.01))
        XCTAssertEqual(ImportCheck.refusal(try record(order("9.99")), rounding: 0.01),
                       "payments do not add up: 9.99 paid (after change) against a total of 10.00; Odoo would store it as paid with the wrong amount")
        // Change: 20 given, 10 back.
        XCTAssertNil(ImportCheck.refusal(try record(order("20", change: "10")), rounding: 0.01))
        // A payload that carries the change payment itself is not counted twice.
        XCTAssertNil(ImportCheck.refusal(try record(order("20", change: "10", extra: #",[0,0,{"payment_method_id":1,"amount":-10,"is_change":true}]"#)),
                                         rounding: 0.01))
        // A currency without cents (rounding 1): half a unit off is off.
        XCTAssertNotNil(ImportCheck.refusal(try record(order("9.5")), rounding: 1))
        XCTAssertNil(ImportCheck.refusal(try record(order("9.6")), rounding: 1))
    }

    func testDaysAreTheShopsDays() throws {
        let jakarta = try XCTUnwrap(TimeZone(identifier: "Asia/Jakarta"))
        let selection = try ImportSelection(sessionID: 42, from: "2026-01-11", to: "2026-01-11", keys: [], timeZone: jakarta)
        XCTAssertEqual(selection.fromUTC, "2026-01-10 17:00:00")
        XCTAssertEqual(selection.beforeUTC, "2026-01-11 17:00:00")
        XCTAssertNil(selection.keys, "an empty --select chooses nothing in particular")
        for (from, to) in [("2026-02-30", nil), ("11-01-2026", nil), ("2026-1-1", nil), (nil, "tomorrow"), ("2026-01-12", "2026-01-11")] as [(String?, String?)] {
            XCTAssertThrowsError(try ImportSelection(sessionID: nil, from: from, to: to, keys: nil, timeZone: jakarta), "\(String(describing: from)) \(String(describing: to))") { error in
                XCTAssertEqual((error as? CadangError)?.status, .usage)
            }
        }
    }

    func testWhoseFaultAnOdooErrorIs() {
        let url = "http://127.0.0.1:1"
        XCTAssertEqual(ImportFailure(.unreachable(url: url, reason: .connectionRefused)), .run(nothingCreated: true))
        XCTAssertEqual(ImportFailure(.unreachable(url: url, reason: .timedOut(seconds: 30))), .run(nothingCreated: false))
        XCTAssertEqual(ImportFailure(.unreachable(url: url, reason: .connectionLost)), .run(nothingCreated: false))
        XCTAssertEqual(ImportFailure(.badResponse(url: url, detail: "HTTP 502")), .run(nothingCreated: false))
        XCTAssertEqual(ImportFailure(.loginRefused(url: url, database: "d", user: "u")), .run(nothingCreated: true))
        XCTAssertEqual(ImportFailure(.server(url: url, name: "odoo.exceptions.AccessError",
                                             message: "You are not allowed to create 'Point of Sale Orders' (pos.order) records.")),
                       .run(nothingCreated: true))
        XCTAssertEqual(ImportFailure(.server(url: url, name: "odoo.exceptions.UserError", message: "No open session available.")),
                       .order("Odoo refused it: No open session available."))
        XCTAssertEqual(ImportFailure(.server(url: url, name: "builtins.ValueError", message: "Invalid field 'backup_date' on model 'pos.order'")),
                       .order("Odoo does not know the field 'backup_date' of the payload: Invalid field 'backup_date' on model 'pos.order'"))
        XCTAssertEqual(ImportFailure(.server(url: url, name: "odoo.exceptions.ValidationError", message: "The operation cannot be completed")),
                       .order("Odoo refused it: The operation cannot be completed"))
    }
}

/// Docs/pos.md shows the GRANT statements exactly as `cadang stats --grants` prints them.
final class StoreGrantsDocumentationTests: XCTestCase {
    func testThePageListsExactlyThePrintedStatements() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let page = try String(contentsOf: root.appendingPathComponent("Docs/pos.md"), encoding: .utf8)
        let printed = StoreGrants.statements(schema: "cadang").map { $0 + ";" }
        let documented = page.split(separator: "\n").map(String.init).filter { $0.hasPrefix("GRANT ") && !$0.contains("CONNECT") }
        XCTAssertEqual(documented, printed)
    }
}
