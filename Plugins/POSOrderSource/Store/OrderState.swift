/// Where an order stands (README "States"). Orders enter the store as `synced`.
enum OrderState: String, Sendable, CaseIterable, Codable {
    /// In our store; not (yet) found in Odoo.
    case synced
    /// Found in Odoo's `pos_order`.
    case verified
    /// We created it in Odoo.
    case imported
    /// An import found it already in Odoo.
    case duplicate
    /// An import failed; the message is kept and it can be retried.
    case error

    /// The one table of allowed changes. A new version keeps the state (an event from a state to
    /// itself); deleting is the cleanup's, not a state.
    static let transitions: [OrderState: Set<OrderState>] = [
        .synced: [.verified, .imported, .duplicate, .error],
        .error: [.imported, .duplicate, .error],
        .verified: [],
        .imported: [],
        .duplicate: [],
    ]

    /// Whether an order may go from `self` to `next`.
    func allows(_ next: OrderState) -> Bool {
        Self.transitions[self]?.contains(next) ?? false
    }

    /// The states verify looks at: not yet found in Odoo.
    static let unverified: [OrderState] = [.synced, .error]

    /// The states cleanup removes by default.
    static let settled: [OrderState] = [.verified, .imported, .duplicate]
}

/// A change the transition table does not allow.
struct IllegalTransition: Error, CustomStringConvertible {
    var key: String
    var from: OrderState
    var to: OrderState
    var description: String { "order \(key) cannot go from \(from.rawValue) to \(to.rawValue)" }
}
