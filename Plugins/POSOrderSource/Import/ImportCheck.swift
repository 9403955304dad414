/// What an import refuses to send because Odoo would store it wrongly (ODOO18.md, "Payments"):
/// `sync_from_ui` stores an order without lines or with payments that do not add up as "paid",
/// only logging the difference, and without a uuid it cannot find the order again, so a second
/// send would make a second copy.
enum ImportCheck {
    /// An order without a uuid.
    static let noUUID = "no uuid: Odoo 18 recognises an order only by its uuid, so it could not tell a second import from the first; enter the order on a till instead"
    /// An order none of whose versions has lines.
    static let noLines = "no lines: every stored version is an online-shaped capture (empty lines and payments), which Odoo would store as paid with nothing in it"

    /// Why `order` (one stored version, decoded) must not be sent, or nil when it may.
    /// `rounding` is the currency's smallest amount: totals within half of it are equal.
    static func refusal(_ order: OrderRecord, rounding: Double) -> String? {
        guard let uuid = order.uuid, !uuid.isEmpty else { return noUUID }
        guard !order.lines.isEmpty else { return noLines }
        let total = order.amountTotal ?? 0
        // Odoo adds the change payment itself when the payload has none (ODOO18.md step 4).
        let hasChange = order.payments.contains { $0.isChange == true }
        let paid = order.payments.reduce(0) { $0 + ($1.amount ?? 0) } - (hasChange ? 0 : order.amountReturn ?? 0)
        if abs(paid - total) >= rounding / 2 {
            return "payments do not add up: \(Self.amount(paid)) paid (after change) against a total of \(Self.amount(total)); Odoo would store it as paid with the wrong amount"
        }
        return nil
    }

    /// An amount as people read it: two decimals unless it has more.
    static func amount(_ value: Double) -> String {
        let cents = (value * 100).rounded() / 100
        return cents == value || abs(cents - value) < 1e-9 ? String(format: "%.2f", value) : String(value)
    }
}
