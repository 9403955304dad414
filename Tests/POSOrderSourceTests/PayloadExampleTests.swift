import XCTest
@testable import POSOrderSource

/// The contract's examples decode as /work/shared/pos/README.md says.
final class PayloadExampleTests: XCTestCase {
    func testOfflineOrderHasEveryField() throws {
        let record = try PayloadFixtures.decoded(PayloadExamples.odoo18Offline)
        XCTAssertEqual(record.key, "a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11")
        XCTAssertEqual(record.keyKind, .uuid)
        XCTAssertEqual(record.accessToken, "5f1c2c1e-7b0e-4d0b-9b7c-2f4e8a9c1d33")
        XCTAssertEqual(record.posReference, "00042-003-0017")
        XCTAssertEqual(record.name, "Order 00042-003-0017")
        XCTAssertEqual(record.reference, "00042-003-0017")
        XCTAssertEqual(record.sessionID, 42)
        XCTAssertEqual(record.configID, 3)
        XCTAssertEqual(record.companyID, 1)
        XCTAssertEqual(record.userID, 6)
        XCTAssertEqual(record.partnerID, 25)
        XCTAssertEqual(record.orderDate, "2026-01-11 02:37:05")
        XCTAssertEqual(record.capturedAt, "2026-01-11 02:37:05")
        XCTAssertEqual(record.amountTotal, 55.5)
        XCTAssertEqual(record.amountTax, 5.5)
        XCTAssertEqual(record.amountPaid, 60.0)
        XCTAssertEqual(record.amountReturn, 4.5)
        XCTAssertEqual(record.lines, [
            OrderLine(lineNo: 1, productID: 77, fullProductName: "Iced Latte", qty: 2, priceUnit: 15,
                      discount: 0, priceSubtotal: 27.03, priceSubtotalIncl: 30),
            OrderLine(lineNo: 2, productID: 81, fullProductName: "Croissant", qty: 1, priceUnit: 25.5,
                      discount: 0, priceSubtotal: 22.97, priceSubtotalIncl: 25.5),
        ])
        XCTAssertEqual(record.payments, [
            OrderPayment(paymentMethodID: 1, amount: 60, paymentDate: "2026-01-11 02:37:04", isChange: false),
        ])
        XCTAssertEqual(record.payload, PayloadExamples.odoo18Offline)
        XCTAssertEqual(record.contentSHA256.count, 64)
    }

    func testOnlineFormIsTheSameOrderWithOtherContent() throws {
        let offline = try PayloadFixtures.decoded(PayloadExamples.odoo18Offline)
        let online = try PayloadFixtures.decoded(PayloadExamples.odoo18Online)
        XCTAssertEqual(online.key, offline.key)
        XCTAssertEqual(online.reference, "00042-003-0017")
        XCTAssertEqual(online.posReference, "Order 00042-003-0017")
        XCTAssertEqual(online.name, "Shop/0017")
        XCTAssertTrue(online.lines.isEmpty)
        XCTAssertTrue(online.payments.isEmpty)
        XCTAssertNotEqual(online.contentSHA256, offline.contentSHA256)
    }

    func testOdoo17OrderIsKeyedByAccessTokenWithReferenceFromUID() throws {
        let record = try PayloadFixtures.decoded(PayloadExamples.odoo17Export)
        XCTAssertEqual(record.keyKind, .accessToken)
        XCTAssertEqual(record.key, "2b9c5d1e-8f7a-4c3b-a2d1-e0f9a8b7c6d5")
        XCTAssertNil(record.uuid)
        XCTAssertEqual(record.reference, "00017-001-0004")
        XCTAssertEqual(record.sessionID, 17)
        XCTAssertNil(record.partnerID)
        XCTAssertEqual(record.orderDate, "2023-11-02 08:15:44")
        XCTAssertEqual(record.amountTotal, 33000)
        XCTAssertEqual(record.lines.map(\.fullProductName), ["Kopi Susu Gula Aren"])
        XCTAssertEqual(record.lines.first?.qty, 3)
        XCTAssertEqual(record.payments, [OrderPayment(paymentMethodID: 1, amount: 50000, paymentDate: "2023-11-02 08:15:44")])
    }

    func testExportWrapperGivesTwoRecordsOfConfig3() throws {
        let folder = try PayloadFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("indexeddb-export.json")
        try Data(PayloadExamples.indexedDBExport).write(to: file)
        let outcome = try PayloadFixtures.ingest(PayloadSplitter(path: file.path))
        XCTAssertTrue(outcome.rejections.isEmpty, "\(outcome.rejections)")
        XCTAssertEqual(outcome.records.map(\.index), [0, 1])
        XCTAssertEqual(outcome.records.map(\.record.configID), [3, 3])
        XCTAssertEqual(outcome.records.map(\.record.reference), ["00042-003-0017", "00042-003-0018"])
        XCTAssertEqual(outcome.records[1].record.capturedAt, "2026-01-11 02:41:19")
        // The wrapper's first record is the offline example, byte for byte apart from indentation.
        let offline = try PayloadFixtures.decoded(PayloadExamples.odoo18Offline)
        XCTAssertEqual(outcome.records[0].record.contentSHA256, offline.contentSHA256)
    }

    func testWrapperRecordsTakeConfigFromDatabaseEvenWhenRecordsComeFirst() throws {
        let text = #"{"records": [{"uuid": "u1"}, {"uuid": "u2", "config_id": 9}], "store": "orders", "database": "pos_order_backup_7"}"#
        let outcome = try PayloadFixtures.ingest(text)
        XCTAssertTrue(outcome.rejections.isEmpty, "\(outcome.rejections)")
        XCTAssertEqual(outcome.records.map(\.record.configID), [7, 9])
        // Through a small window, so the look-ahead crosses window boundaries.
        let events = try PayloadFixtures.events(Array(text.utf8), windowCapacity: 16)
        XCTAssertEqual(events.compactMap(\.item).map(\.fallbackConfigID), [7, 7])
    }

    func testReferencesNormaliseAcrossPrefixes() {
        XCTAssertEqual(OrderReference.normalised("00042-003-0017"), "00042-003-0017")
        XCTAssertEqual(OrderReference.normalised("Order 00042-003-0017"), "00042-003-0017")
        XCTAssertEqual(OrderReference.normalised("Pesanan 00042-003-0017 "), "00042-003-0017")
        XCTAssertEqual(OrderReference.normalised("Order 100042-003-0017"), "100042-003-0017")
        XCTAssertNil(OrderReference.normalised("Shop/0017"))
        XCTAssertNil(OrderReference.normalised("0042-003-0017"))
        XCTAssertNil(OrderReference.normalised("00042-003-0017 x"))
    }

    func testOdooValueForms() throws {
        let text = #"""
        {"access_token": "t", "session_id": "12", "user_id": [6, "Kasir"], "partner_id": false,
         "company_id": 1.0, "config_id": null, "backup_date": "2026-01-11T09:37:05.412+07:00",
         "date_order": "2026-01-11T02:37:05Z", "amount_total": "55.5",
         "lines": [[1, 5, {"qty": 9}], [0, 0, {"qty": 1, "product_id": [77, "Latte"]}], [4, 3], {"qty": 2}],
         "payment_ids": [[0, 0, {"amount": -4.5, "is_change": true, "payment_date": "2026-01-10T23:59:59-05:00"}]]}
        """#
        let record = try PayloadFixtures.decoded(Array(text.utf8))
        XCTAssertEqual(record.keyKind, .accessToken)
        XCTAssertNil(record.reference)
        XCTAssertEqual(record.sessionID, 12)
        XCTAssertEqual(record.userID, 6)
        XCTAssertNil(record.partnerID)
        XCTAssertEqual(record.companyID, 1)
        XCTAssertNil(record.configID)
        XCTAssertEqual(record.capturedAt, "2026-01-11 02:37:05")
        XCTAssertEqual(record.orderDate, "2026-01-11 02:37:05")
        XCTAssertEqual(record.amountTotal, 55.5)
        XCTAssertEqual(record.lines.map(\.lineNo), [1, 2])
        XCTAssertEqual(record.lines.map(\.qty), [1, 2])
        XCTAssertEqual(record.lines.first?.productID, 77)
        XCTAssertEqual(record.payments, [OrderPayment(amount: -4.5, paymentDate: "2026-01-11 04:59:59", isChange: true)])
    }

    func testTimestamps() {
        func utc(_ text: String) -> String? { Array(text.utf8).withUnsafeBufferPointer { OdooTimestamp.utc($0) } }
        XCTAssertEqual(utc("2026-01-11 02:37:05"), "2026-01-11 02:37:05")
        XCTAssertEqual(utc("2026-01-11T02:37:05.412Z"), "2026-01-11 02:37:05")
        XCTAssertEqual(utc("2026-01-01T06:00:00+07:00"), "2025-12-31 23:00:00")
        XCTAssertEqual(utc("2024-02-28T23:30:00-0100"), "2024-02-29 00:30:00")
        XCTAssertEqual(utc("2026-01-11T02:37"), "2026-01-11 02:37:00")
        XCTAssertNil(utc("yesterday"))
        XCTAssertNil(utc("2026-13-11 02:37:05"))
    }
}
