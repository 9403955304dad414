import CadangCore
import Foundation
import POSTestSupport
import XCTest
@testable import POSOrderSource

/// The order store's behaviour, written once and run on both backends (`OrderStoreSQLiteTests`,
/// `OrderStorePostgresTests`).
enum OrderStoreContract {
    /// A decoded order from a small Odoo 18-shaped payload.
    static func order(uuid: String? = nil, token: String? = nil, reference: String = "00042-003-0017", total: Double = 10,
                      date: String = "2026-01-11 02:37:05", lines: Int = 1, session: Int = 42, config: Int = 3,
                      note: String = "") throws -> OrderRecord {
        var fields: [String] = []
        if let uuid { fields.append("\"uuid\": \"\(uuid)\"") }
        if let token { fields.append("\"access_token\": \"\(token)\"") }
        let lineItems = (0..<lines).map { number in
            "[0, 0, {\"product_id\": \(70 + number), \"full_product_name\": \"Kopi \(number)\", \"qty\": 1, \"price_unit\": \(total), \"discount\": 0, \"price_subtotal\": \(total), \"price_subtotal_incl\": \(total)}]"
        }
        fields += ["\"name\": \"Order \(reference)\"", "\"pos_reference\": \"\(reference)\"", "\"session_id\": \(session)",
                   "\"config_id\": \(config)", "\"date_order\": \"\(date)\"", "\"amount_total\": \(total)",
                   "\"amount_paid\": \(total)", "\"note\": \"\(note)\"",
                   "\"lines\": [\(lineItems.joined(separator: ","))]",
                   "\"payment_ids\": [[0, 0, {\"payment_method_id\": 1, \"amount\": \(total), \"is_change\": false}]]"]
        var decoder = OrderDecoder()
        return try decoder.decode(Array(("{" + fields.joined(separator: ", ") + "}").utf8)).get()
    }

    static func example(_ bytes: [UInt8]) throws -> OrderRecord {
        var decoder = OrderDecoder()
        return try decoder.decode(bytes).get()
    }

    /// `SELECT` of one integer.
    static func count(_ store: OrderStore, _ sql: String, _ values: [StoreValue?] = []) throws -> Int {
        Int(try store.database.count(sql, values))
    }

    static func text(_ store: OrderStore, _ sql: String, _ values: [StoreValue?] = []) throws -> [String] {
        var result: [String] = []
        try store.database.query(sql, values) { result.append(try $0.text(0) ?? "NULL") }
        return result
    }

    // MARK: The contract

    static func offlineThenOnlineIsOneOrderWithTwoVersions(_ store: OrderStore) throws {
        let offline = try example(PayloadExamples.odoo18Offline)
        let online = try example(PayloadExamples.odoo18Online)
        XCTAssertEqual(try store.ingest([offline], origins: ["offline.json item 0"], actor: "test"), [.stored])
        XCTAssertEqual(try store.ingest([online], origins: ["online.json item 0"], actor: "test"), [.newVersion])
        XCTAssertEqual(try store.ingest([offline, online], origins: [], actor: "test"), [.unchanged, .unchanged])
        XCTAssertEqual(try count(store, "SELECT count(*) FROM orders"), 1)
        XCTAssertEqual(try count(store, "SELECT versions FROM orders"), 2)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM order_versions"), 2)
        // Structured columns come from the newest version; the offline lines stay with version 1.
        XCTAssertEqual(try text(store, "SELECT name FROM orders"), ["Shop/0017"])
        XCTAssertEqual(try text(store, "SELECT content_sha256 FROM orders"), [online.contentSHA256])
        XCTAssertEqual(try count(store, "SELECT count(*) FROM order_lines WHERE version = 1"), 2)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM order_lines WHERE version = 2"), 0)
        XCTAssertEqual(try count(store, "SELECT has_lines FROM order_versions WHERE version = 1"), 1)
        // The payload is kept byte for byte.
        XCTAssertEqual(try text(store, "SELECT payload FROM order_versions WHERE version = 1"),
                       [String(decoding: PayloadExamples.odoo18Offline, as: UTF8.self)])
        XCTAssertEqual(try text(store, "SELECT from_state || '>' || to_state FROM events WHERE from_state IS NOT NULL"), ["synced>synced"])
        XCTAssertEqual(try text(store, "SELECT to_state FROM events WHERE from_state IS NULL"), ["synced"])
    }

    static func changedContentIsANewVersionNotANewOrder(_ store: OrderStore) throws {
        let first = try order(uuid: "u-1", total: 10)
        let second = try order(uuid: "u-1", total: 12)
        // Both in one batch, and again: the second is a version of the first.
        XCTAssertEqual(try store.ingest([first, second, first], origins: [], actor: "test"), [.stored, .newVersion, .unchanged])
        XCTAssertEqual(try store.ingest([second], origins: [], actor: "test"), [.unchanged])
        let third = try order(uuid: "u-1", total: 15)
        XCTAssertEqual(try store.ingest([third], origins: [], actor: "test"), [.newVersion])
        XCTAssertEqual(try count(store, "SELECT count(*) FROM orders"), 1)
        XCTAssertEqual(try count(store, "SELECT versions FROM orders"), 3)
        XCTAssertEqual(try text(store, "SELECT CAST(version AS TEXT) FROM order_versions ORDER BY version"), ["1", "2", "3"])
        var total: Double?
        try store.database.query("SELECT amount_total FROM orders", []) { total = try $0.real(0) }
        XCTAssertEqual(total, 15)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM events"), 3)
    }

    static func keysFallBackToTokenThenReference(_ store: OrderStore) throws {
        let byToken = try order(token: "t-1", reference: "00001-001-0001")
        let byReference = try order(reference: "00001-001-0002")
        XCTAssertEqual(try store.ingest([byToken, byReference], origins: [], actor: "test"), [.stored, .stored])
        XCTAssertEqual(try text(store, "SELECT key_kind FROM orders ORDER BY key"), ["reference", "access_token"])
        XCTAssertEqual(try text(store, "SELECT key FROM orders ORDER BY key"), ["00001-001-0002", "t-1"])
    }

    static func filesAreRememberedByStamp(_ store: OrderStore) throws {
        let stamp = FileStamp(path: "/inbox/a.json", size: 10, modifiedNanoseconds: 5, inode: 7)
        XCTAssertFalse(try store.isIngested(stamp))
        _ = try store.ingest([try order(uuid: "f-1")], origins: [], actor: "test", file: stamp)
        XCTAssertTrue(try store.isIngested(stamp))
        var changed = stamp
        changed.size = 11
        XCTAssertFalse(try store.isIngested(changed))
        _ = try store.ingest([], origins: [], actor: "test", file: changed)
        XCTAssertTrue(try store.isIngested(changed))
        XCTAssertFalse(try store.isIngested(stamp))
    }

    static func verificationMovesFoundOrdersAndMarksTheRestMissing(_ store: OrderStore) throws {
        let orders = try (1...4).map { try order(uuid: "v-\($0)", reference: "00042-003-000\($0)") }
        _ = try store.ingest(orders, origins: [], actor: "test")
        try store.database.execute("UPDATE orders SET state = 'error', last_error = 'boom' WHERE key = 'v-3'", [])
        try store.database.execute("UPDATE orders SET state = 'imported' WHERE key = 'v-4'", [])
        let lookups = try store.unverifiedLookups()
        XCTAssertEqual(lookups.map(\.key), ["v-1", "v-2", "v-3"])
        let matches = [OdooOrderMatch(key: "v-1", odooID: 501, sessionID: 7, state: "paid", matchedBy: .uuid),
                       OdooOrderMatch(key: "v-3", odooID: 503, sessionID: 7, state: "paid", matchedBy: .reference)]
        let report = try store.recordVerification(of: lookups, matches: matches, actor: "test")
        XCTAssertEqual(report.checked, 3)
        XCTAssertEqual(report.verified, 2)
        XCTAssertEqual(report.missing, 1)
        XCTAssertEqual(try text(store, "SELECT key || ':' || state FROM orders ORDER BY key"),
                       ["v-1:verified", "v-2:synced", "v-3:duplicate", "v-4:imported"])
        XCTAssertEqual(try count(store, "SELECT matched_order_id FROM orders WHERE key = 'v-1'"), 501)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM orders WHERE key = 'v-2' AND last_checked_at IS NOT NULL AND matched_order_id IS NULL"), 1)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM orders WHERE verified_at IS NOT NULL"), 2)
        XCTAssertEqual(try text(store, "SELECT reason FROM events WHERE key = 'v-3' AND to_state = 'duplicate'"),
                       ["found in Odoo: pos.order 503 (by reference)"])
        // Nothing is left to verify but the missing one.
        XCTAssertEqual(try store.unverifiedLookups().map(\.key), ["v-2"])
    }

    static func cleanupRemovesExactlyItsPlan(_ store: OrderStore) throws {
        let now = Date()
        func day(_ ago: Double) -> String { OrderStore.timestamp(now.addingTimeInterval(-ago * 86_400)) }
        // The newest order is one cleanup removes, so the next id must look past the orders left.
        let orders = try [
            order(uuid: "old-missing", date: day(40)), order(uuid: "old-unchecked", date: day(40)),
            order(uuid: "old-error", date: day(40)), order(uuid: "new-verified", date: day(3)),
            order(uuid: "old-verified", date: day(40)),
        ]
        _ = try store.ingest(orders, origins: [], actor: "test")
        try store.database.execute("UPDATE orders SET state = 'verified', matched_order_id = 1 WHERE key IN ('old-verified', 'new-verified')", [])
        try store.database.execute("UPDATE orders SET last_checked_at = ? WHERE key = 'old-missing'", [.text(day(1))])
        try store.database.execute("UPDATE orders SET state = 'error' WHERE key = 'old-error'", [])

        XCTAssertThrowsError(try CleanupRule(olderThan: 6 * 86_400, states: nil, includeMissing: false)) { error in
            XCTAssertEqual((error as? CadangError)?.status, .usage)
        }
        XCTAssertThrowsError(try CleanupRule(olderThan: 30 * 86_400, states: [.synced], includeMissing: false))
        let settled = try CleanupRule(olderThan: 30 * 86_400, states: nil, includeMissing: false)
        let plan = try store.cleanupPlan(settled)
        XCTAssertEqual(plan.remove.map(\.key), ["old-verified"])
        XCTAssertEqual(plan.kept, 4)
        let withMissing = try CleanupRule(olderThan: 30 * 86_400, states: nil, includeMissing: true)
        let wider = try store.cleanupPlan(withMissing)
        XCTAssertEqual(Set(wider.remove.map(\.key)), ["old-verified", "old-missing", "old-error"])

        // Between plan and execution an order changes: it is re-checked and kept.
        try store.database.execute("UPDATE orders SET state = 'synced', last_checked_at = NULL WHERE key = 'old-error'", [])
        let removed = try store.cleanup(wider.remove, rule: withMissing, actor: "test")
        XCTAssertEqual(Set(removed.map(\.key)), ["old-verified", "old-missing"])
        XCTAssertEqual(try text(store, "SELECT key FROM orders ORDER BY key"), ["new-verified", "old-error", "old-unchecked"])
        // Nothing of theirs is left behind: every version, line and payment belongs to a kept order.
        for table in ["order_versions", "order_lines", "payments"] {
            XCTAssertEqual(try count(store, "SELECT count(*) FROM \(table) WHERE order_id NOT IN (SELECT id FROM orders)"), 0, table)
        }
        // Events outlive the orders, and the deletions are events too.
        XCTAssertEqual(try count(store, "SELECT count(*) FROM events WHERE to_state = 'deleted'"), 2)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM events WHERE key = 'old-verified'"), 2)
        // An order stored after the cleanup gets an id no deleted order had, so no event of theirs is its.
        let highest = try count(store, "SELECT max(order_id) FROM events")
        _ = try store.ingest([try order(uuid: "after-cleanup", lines: 1)], origins: [], actor: "test")
        XCTAssertEqual(try count(store, "SELECT count(*) FROM events WHERE order_id = (SELECT id FROM orders WHERE key = 'after-cleanup')"), 1)
        XCTAssertGreaterThan(try count(store, "SELECT id FROM orders WHERE key = 'after-cleanup'"), highest)
    }

    static func datasetsReadTheStoreInStableOrder(_ store: OrderStore) throws {
        _ = try store.ingest([try order(uuid: "b", lines: 2), try order(uuid: "a", lines: 1)], origins: [], actor: "test")
        try store.database.read {
            let reader = try store.database.table(OrderDatasets.orders.sql, [], schema: OrderDatasets.orders.schema)
            var batch = RowBatch(columnCount: OrderDatasets.orders.schema.columns.count, capacity: 16)
            _ = try reader.read(into: &batch)
            XCTAssertEqual(batch.rowCount, 2)
            batch.withBytes { bytes in
                guard case .text(let range) = batch.cell(row: 0, column: 0) else { return XCTFail("key is not text") }
                // As they arrived, not by key: the same order from either store, whatever its collation.
                XCTAssertEqual(String(decoding: bytes[range], as: UTF8.self), "b")
                XCTAssertEqual(batch.cell(row: 0, column: 17), .integer(2), "lines")
                XCTAssertEqual(batch.cell(row: 1, column: 17), .integer(1), "lines")
                XCTAssertEqual(batch.cell(row: 0, column: 13), .real(10), "amount_total")
            }
            let lines = try store.database.table(OrderDatasets.orderLines.sql, [], schema: OrderDatasets.orderLines.schema)
            var lineBatch = RowBatch(columnCount: OrderDatasets.orderLines.schema.columns.count, capacity: 16)
            _ = try lines.read(into: &lineBatch)
            XCTAssertEqual(lineBatch.rowCount, 3)
        }
    }

    static func transitionsFollowTheTable() {
        XCTAssertTrue(OrderState.synced.allows(.verified))
        XCTAssertTrue(OrderState.error.allows(.imported))
        XCTAssertTrue(OrderState.error.allows(.error))
        XCTAssertFalse(OrderState.verified.allows(.synced))
        XCTAssertFalse(OrderState.imported.allows(.duplicate))
        XCTAssertFalse(OrderState.error.allows(.verified))
        XCTAssertEqual(OrderState.synced.foundInOdoo, .verified)
        XCTAssertEqual(OrderState.error.foundInOdoo, .duplicate)
        XCTAssertNil(OrderState.verified.foundInOdoo)
    }

    /// A request body: one result per item in its order, rejected ones with their reason; the
    /// same body again is `unchanged`, a changed order a `new_version`; a body that is not JSON
    /// stores nothing.
    static func bodiesGiveOneResultPerItem(_ store: OrderStore) throws {
        let ingest = BodyIngest(maxItemBytes: 1024, actor: "test")
        let big = String(repeating: "x", count: 2_000)
        let body = Array("""
            {"uuid": "b-1", "name": "Order 00001-001-0001", "lines": []}
            {"uuid": "b-2", "name": "Order 00001-001-0002", "lines": [
            {"name": "no identity", "lines": []}
            {"uuid": "b-3", "note": "\(big)"}
            {"uuid": "b-1", "name": "Order 00001-001-0001", "lines": []}
            {"uuid": "b-4", "name": "Order 00001-001-0004", "amount_total": 5}

            """.utf8)
        let first = try ingest.ingest(body, origin: "request from 127.0.0.1", into: store)
        XCTAssertEqual(first.map(\.index), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(first.map(\.status), [.stored, .rejected, .rejected, .rejected, .unchanged, .stored])
        XCTAssertEqual(first.map(\.key), ["b-1", nil, nil, nil, "b-1", "b-4"])
        XCTAssertNotNil(first[1].reason)
        XCTAssertTrue(first[2].reason?.contains("no uuid, access_token or order reference") ?? false, "\(first[2])")
        XCTAssertTrue(first[3].reason?.contains("1024") ?? false, "\(first[3])")
        XCTAssertEqual(try count(store, "SELECT count(*) FROM orders"), 2)
        let again = try ingest.ingest(body, origin: "request", into: store)
        XCTAssertEqual(again.map(\.status), [.unchanged, .rejected, .rejected, .rejected, .unchanged, .unchanged])
        let changed = try ingest.ingest(Array(#"[{"uuid": "b-4", "name": "Order 00001-001-0004", "amount_total": 6}]"#.utf8), origin: "request", into: store)
        XCTAssertEqual(changed, [IngestedItem(index: 0, key: "b-4", status: .newVersion)])
        XCTAssertEqual(try text(store, "SELECT reason FROM events WHERE key = 'b-4' ORDER BY id"),
                       ["stored from request from 127.0.0.1 item 5", "version 2 from request item 0"])
        XCTAssertThrowsError(try ingest.ingest(Array("<html>".utf8), origin: "request", into: store)) { error in
            XCTAssertTrue(error is IngestBodyError, "\(error)")
        }
        XCTAssertEqual(try count(store, "SELECT count(*) FROM orders"), 2)
    }
}
