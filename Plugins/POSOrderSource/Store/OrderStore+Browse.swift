import CadangCore
import Foundation

/// The filters of the console's orders list and of `GET …/orders` (DESIGN §8), as one query.
struct OrderFilter: Sendable, Equatable {
    var state: OrderState?
    /// Synced, checked at least once, not found at the last check.
    var missing = false
    /// What an import would take: missing or error.
    var ready = false
    var sessionID: Int64?
    var configID: Int64?
    /// Orders dated at or after this UTC time.
    var fromUTC: String?
    /// Orders dated before this UTC time.
    var beforeUTC: String?
    /// A key, uuid, or reference in any of its spellings.
    var text: String?

    /// The condition on `orders`, with its parameters. Each filter alone is served by an index
    /// (state, session, config, order date, key, reference), so a page of a million orders stays fast.
    var condition: (sql: String, values: [StoreValue?]) {
        var legs: [String] = []
        var values: [StoreValue?] = []
        if let state {
            legs.append("state = ?")
            values.append(.text(state.rawValue))
        }
        if missing { legs.append("state = 'synced' AND last_checked_at IS NOT NULL AND matched_order_id IS NULL") }
        if ready {
            legs.append("state IN ('synced', 'error') AND (state = 'error' OR (last_checked_at IS NOT NULL AND matched_order_id IS NULL))")
        }
        if let sessionID {
            legs.append("session_id = ?")
            values.append(.integer(sessionID))
        }
        if let configID {
            legs.append("config_id = ?")
            values.append(.integer(configID))
        }
        if let fromUTC {
            legs.append("order_date >= ?")
            values.append(.text(fromUTC))
        }
        if let beforeUTC {
            legs.append("order_date < ?")
            values.append(.text(beforeUTC))
        }
        if let text {
            legs.append("(key = ? OR reference = ?)")
            values += [.text(text), .text(OrderReference.normalised(text) ?? text)]
        }
        return (legs.isEmpty ? "1 = 1" : legs.map { "(\($0))" }.joined(separator: " AND "), values)
    }
}

extension OrderStore {
    /// One page of the orders `filter` selects, newest order date first, with their count.
    func browse(_ filter: OrderFilter, offset: Int, limit: Int) throws -> BrowsePage {
        let table = OrderDatasets.orders
        let (condition, values) = filter.condition
        return try database.read {
            let total = try database.count("SELECT COUNT(*) FROM orders WHERE \(condition)", values)
            let columns = table.schema.columns.map(\.name)
            var rows: [[RecordValue]] = []
            let sql = "SELECT \(columns.joined(separator: ", ")) FROM orders WHERE \(condition) "
                + "ORDER BY order_date DESC, id DESC LIMIT ? OFFSET ?"
            try database.query(sql, values + [.integer(Int64(limit)), .integer(Int64(offset))]) { row in
                rows.append(try Self.values(row, kinds: table.schema.columns.map { $0.kind ?? .text }))
            }
            return BrowsePage(columns: columns, rows: rows, total: Int(total), page: offset / max(1, limit) + 1, pageSize: limit)
        }
    }

    /// The order with `key`: its columns, versions with their payloads, newest version's lines and
    /// payments, and its events; nil when the store has none.
    func detail(key: String) throws -> RecordDetail? {
        let table = OrderDatasets.orders
        return try database.read {
            var id: Int64?
            var fields: [RecordDetail.Field] = []
            let columns = table.schema.columns
            try database.query("SELECT id, \(columns.map(\.name).joined(separator: ", ")) FROM orders WHERE key = ?", [.text(key)]) { row in
                id = try row.integer(0)
                let values = try Self.values(row, kinds: columns.map { $0.kind ?? .text }, from: 1)
                fields = zip(columns, values).map { RecordDetail.Field($0.name, $1) }
            }
            guard let id else { return nil }
            var versions: [[RecordValue]] = []
            var documents: [RecordDocument] = []
            try database.query("""
                SELECT version, received_at, captured_at, content_sha256, has_lines, source, payload
                FROM order_versions WHERE order_id = ? ORDER BY version DESC
                """, [.integer(id)]) { row in
                let version = try row.integer(0) ?? 0
                versions.append([.integer(version), Self.text(try row.text(1)), Self.text(try row.text(2)), Self.text(try row.text(3)),
                                 .integer(try row.integer(4) ?? 0), Self.text(try row.text(5))])
                documents.append(RecordDocument(title: "version \(version)", text: try row.text(6) ?? ""))
            }
            var lines: [[RecordValue]] = []
            try database.query("""
                SELECT l.version, l.line_no, l.product_id, l.full_product_name, l.qty, l.price_unit, l.discount, l.price_subtotal_incl
                FROM order_lines l WHERE l.order_id = ? AND l.version = (SELECT MAX(version) FROM order_lines WHERE order_id = ?)
                ORDER BY l.line_no
                """, [.integer(id), .integer(id)]) { row in
                lines.append(try Self.values(row, kinds: [.integer, .integer, .integer, .text, .real, .real, .real, .real]))
            }
            var events: [[RecordValue]] = []
            try database.query("SELECT at, from_state, to_state, actor, reason FROM events WHERE order_id = ? ORDER BY id", [.integer(id)]) { row in
                events.append(try Self.values(row, kinds: [.text, .text, .text, .text, .text]))
            }
            let title = fields.first { $0.name == "pos_reference" }?.value.text ?? key
            return RecordDetail(key: key, title: title.isEmpty ? key : title, fields: fields, tables: [
                .init(name: "versions", title: LocalizedText(en: "Versions", id: "Versi"),
                      columns: ["version", "received_at", "captured_at", "content_sha256", "has_lines", "source"], rows: versions),
                .init(name: "lines", title: LocalizedText(en: "Lines (the newest version with lines)", id: "Baris (versi terbaru yang berisi baris)"),
                      columns: ["version", "line_no", "product_id", "full_product_name", "qty", "price_unit", "discount", "price_subtotal_incl"],
                      rows: lines),
                .init(name: "events", title: LocalizedText(en: "Events", id: "Riwayat"),
                      columns: ["at", "from_state", "to_state", "actor", "reason"], rows: events),
            ], documents: documents)
        }
    }

    private typealias RecordDocument = RecordDetail.Document

    private static func text(_ value: String?) -> RecordValue {
        value.map(RecordValue.text) ?? .null
    }

    /// A row's columns from `from` on, read as `kinds` say.
    private static func values(_ row: any StoreRow, kinds: [ValueKind], from first: Int = 0) throws -> [RecordValue] {
        try kinds.enumerated().map { offset, kind in
            let column = first + offset
            switch kind {
            case .integer: return try row.integer(column).map(RecordValue.integer) ?? .null
            case .real: return try row.real(column).map(RecordValue.real) ?? .null
            default: return text(try row.text(column))
            }
        }
    }
}
