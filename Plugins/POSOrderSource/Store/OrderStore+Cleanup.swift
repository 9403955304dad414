import CadangCore
import Foundation

/// Which orders cleanup removes: older than a cutoff, in some states (README `cadang prune pos`).
struct CleanupRule: Sendable, Equatable {
    /// The shortest `older_than` accepted anywhere (config, flags, API, console).
    static let minimumDays = 7.0

    /// Orders whose `order_date` is before this UTC time (`YYYY-MM-DD HH:MM:SS`).
    var cutoff: String
    /// Settled states to remove (default verified, imported, duplicate).
    var states: [OrderState]
    /// Also `synced` orders Odoo lacked at their last check, and `error` ones.
    var includeMissing: Bool

    /// The rule, refused (exit 2) when it is shorter than 7 days or names an unsettled state without
    /// `includeMissing`.
    init(olderThan seconds: Double, states: [OrderState]?, includeMissing: Bool, now: Date = Date()) throws {
        guard seconds >= Self.minimumDays * 86_400 else {
            throw CadangError(.usage, "orders are kept at least 7 days; \(DurationText.format(seconds)) is too short",
                              fix: "use older_than: 7d or more")
        }
        let states = states ?? OrderState.settled
        if !includeMissing, let unsettled = states.first(where: { OrderState.unverified.contains($0) }) {
            throw CadangError(.usage, "removing '\(unsettled.rawValue)' orders needs --include-missing",
                              fix: "add --include-missing (only synced orders Odoo lacked at their last check are removed)")
        }
        self.states = states.filter { !OrderState.unverified.contains($0) }
        self.includeMissing = includeMissing
        cutoff = OrderStore.timestamp(now.addingTimeInterval(-seconds))
    }

    /// The condition on `orders`, with its parameters.
    var condition: (sql: String, values: [StoreValue?]) {
        var legs: [String] = []
        var values: [StoreValue?] = [.text(cutoff)]
        if !states.isEmpty {
            legs.append("state IN (\(OrderStore.marks(states.count)))")
            values += states.map { .text($0.rawValue) }
        }
        if includeMissing {
            legs.append("(state = 'synced' AND last_checked_at IS NOT NULL AND matched_order_id IS NULL)")
            legs.append("state = 'error'")
        }
        let which = legs.isEmpty ? "0 = 1" : "(" + legs.joined(separator: " OR ") + ")"
        return ("order_date IS NOT NULL AND order_date < ? AND \(which)", values)
    }
}

/// One order cleanup removes (`prune --json`'s `records.remove`).
struct RemovableOrder: Encodable, Sendable, Equatable {
    var key: String
    var state: String
    var orderDate: String

    enum CodingKeys: String, CodingKey {
        case key, state
        case orderDate = "order_date"
    }
}

extension OrderStore {
    /// The orders `rule` removes, oldest first, and how many stay.
    func cleanupPlan(_ rule: CleanupRule) throws -> (remove: [RemovableOrder], kept: Int) {
        let (condition, values) = rule.condition
        var remove: [RemovableOrder] = []
        var total: Int64 = 0
        try Self.wrap {
            try database.read {
                try database.query("SELECT key, state, order_date FROM orders WHERE \(condition) ORDER BY order_date, key", values) { row in
                    remove.append(RemovableOrder(key: try row.text(0) ?? "", state: try row.text(1) ?? "", orderDate: try row.text(2) ?? ""))
                }
                total = try database.count("SELECT count(*) FROM orders")
            }
        }
        return (remove, Int(total) - remove.count)
    }

    /// Removes the planned orders that `rule` still selects under the lock (nothing else), each
    /// with its versions, lines and payments, and an event to `deleted`; events stay. Returns the
    /// orders removed.
    func cleanup(_ plan: [RemovableOrder], rule: CleanupRule, actor: String) throws -> [RemovableOrder] {
        let now = Self.timestamp()
        let (condition, values) = rule.condition
        var removed: [RemovableOrder] = []
        try Self.wrap {
            try database.write {
                var start = 0
                while start < plan.count {
                    let chunk = plan[start..<min(start + 500, plan.count)].map { StoreValue.text($0.key) as StoreValue? }
                    var still: [RemovableOrder] = []
                    var ids: [StoreValue?] = []
                    try database.query("SELECT id, key, state, order_date FROM orders WHERE key IN (\(Self.marks(chunk.count))) AND \(Self.filterOnly(condition)) ORDER BY order_date, key",
                                       chunk + values) { row in
                        guard let id = try row.integer(0) else { return }
                        ids.append(.integer(id))
                        still.append(RemovableOrder(key: try row.text(1) ?? "", state: try row.text(2) ?? "", orderDate: try row.text(3) ?? ""))
                    }
                    if !still.isEmpty {
                        let marks = Self.marks(ids.count)
                        try database.insert(into: "events", columns: ["order_id", "key", "at", "from_state", "to_state", "actor", "reason"],
                                            rows: zip(ids, still).map { id, order in
                                                [id, .text(order.key), .text(now), .text(order.state), .text("deleted"), .text(actor),
                                                 .text("cleanup: order date \(order.orderDate) before \(rule.cutoff)")]
                                            })
                        for table in ["order_lines", "payments", "order_versions"] {
                            try database.execute("DELETE FROM \(table) WHERE order_id IN (\(marks))", ids)
                        }
                        try database.execute("DELETE FROM orders WHERE id IN (\(marks))", ids)
                        removed += still
                    }
                    start += 500
                }
            }
        }
        return removed
    }
}
