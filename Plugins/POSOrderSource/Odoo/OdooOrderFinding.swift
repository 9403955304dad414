/// Finds our orders in Odoo, in batches (never one call per order). The JSON-RPC finder is one;
/// a finder reading Odoo's PostgreSQL directly (`odoo.postgres`) is another.
public protocol OdooOrderFinding {
    /// The lookups that were found, each at most once, matched by `OrderMatching.match`.
    func find(_ lookups: [OrderLookup]) throws -> [OdooOrderMatch]
}
