import CadangCore

/// The tables a `pos-orders` source emits (README "Datasets"; the column names are the contract),
/// each read from the store in a stable order: orders as they arrived (their id), an order's lines
/// and payments together, in their version's order.
enum OrderDatasets {
    /// One table: its schema and the query giving exactly its columns.
    struct Table {
        var schema: TableSchema
        var sql: String
    }

    private static func columns(_ spec: [(String, ValueKind)]) -> [Column] {
        spec.map { Column($0.0, kind: $0.1) }
    }

    static let orders = Table(
        schema: TableSchema(name: "orders", columns: columns([
            ("key", .text), ("uuid", .text), ("access_token", .text), ("pos_reference", .text), ("name", .text),
            ("session_id", .integer), ("config_id", .integer), ("company_id", .integer), ("user_id", .integer),
            ("partner_id", .integer), ("order_date", .text), ("captured_at", .text), ("received_at", .text),
            ("amount_total", .real), ("amount_tax", .real), ("amount_paid", .real), ("amount_return", .real),
            ("lines", .integer), ("payments", .integer), ("state", .text), ("versions", .integer),
            ("content_sha256", .text), ("last_checked_at", .text), ("matched_order_id", .integer), ("verified_at", .text),
            ("imported_at", .text), ("imported_by", .text), ("last_error", .text),
        ])),
        sql: """
            SELECT key, uuid, access_token, pos_reference, name, session_id, config_id, company_id, user_id, partner_id,
                   order_date, captured_at, received_at, amount_total, amount_tax, amount_paid, amount_return, lines,
                   payments, state, versions, content_sha256, last_checked_at, matched_order_id, verified_at, imported_at,
                   imported_by, last_error
            FROM orders ORDER BY id
            """)

    static let orderLines = Table(
        schema: TableSchema(name: "order_lines", columns: columns([
            ("key", .text), ("version", .integer), ("line_no", .integer), ("product_id", .integer),
            ("full_product_name", .text), ("qty", .real), ("price_unit", .real), ("discount", .real),
            ("price_subtotal", .real), ("price_subtotal_incl", .real),
        ])),
        sql: """
            SELECT o.key, l.version, l.line_no, l.product_id, l.full_product_name, l.qty, l.price_unit, l.discount,
                   l.price_subtotal, l.price_subtotal_incl
            FROM orders o JOIN order_lines l ON l.order_id = o.id ORDER BY o.id, l.version, l.line_no
            """)

    static let payments = Table(
        schema: TableSchema(name: "payments", columns: columns([
            ("key", .text), ("version", .integer), ("payment_method_id", .integer), ("amount", .real),
            ("payment_date", .text), ("is_change", .integer),
        ])),
        sql: """
            SELECT o.key, p.version, p.payment_method_id, p.amount, p.payment_date, p.is_change
            FROM orders o JOIN payments p ON p.order_id = o.id ORDER BY o.id, p.version, p.payment_no
            """)

    static let events = Table(
        schema: TableSchema(name: "events", columns: columns([
            ("key", .text), ("at", .text), ("from_state", .text), ("to_state", .text), ("actor", .text), ("reason", .text),
        ])),
        sql: "SELECT key, at, from_state, to_state, actor, reason FROM events ORDER BY id")

    /// Every table, in the order a set holds them.
    static let all = [orders, orderLines, payments, events]

    /// The file dataset of a SQLite store.
    static let storeName = "store"
}
