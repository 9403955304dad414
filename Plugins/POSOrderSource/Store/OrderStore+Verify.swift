import CadangCore

/// What one verify recorded (`verify --json`'s `"pos"`).
struct VerifyReport: Encodable, Sendable {
    var checked: Int
    var verified: Int
    var missing: Int
    var checkedAt: String

    enum CodingKeys: String, CodingKey {
        case checked, verified, missing
        case checkedAt = "checked_at"
    }
}

extension OrderState {
    /// The state of an unverified order that verify found in Odoo: `synced` → `verified`; an
    /// `error` (an import that failed, yet the order reached Odoo) → `duplicate`.
    var foundInOdoo: OrderState? {
        let next: OrderState = self == .synced ? .verified : .duplicate
        return OrderState.unverified.contains(self) && allows(next) ? next : nil
    }
}

extension OrderStore {
    /// The orders verify looks for (not yet found in Odoo), as lookups; `changedAfterEvent`
    /// narrows them to those with a later event (what a run's ingest stored or gave a new version).
    func unverifiedLookups(changedAfterEvent: Int64? = nil) throws -> [OrderLookup] {
        var lookups: [OrderLookup] = []
        var values = OrderState.unverified.map { StoreValue.text($0.rawValue) as StoreValue? }
        var sql = "SELECT key, uuid, access_token, name, pos_reference FROM orders WHERE state IN (\(Self.marks(values.count)))"
        if let changedAfterEvent {
            sql += " AND id IN (SELECT order_id FROM events WHERE id > ?)"
            values.append(.integer(changedAfterEvent))
        }
        try Self.wrap {
            try database.query(sql + " ORDER BY key", values) { row in
                guard let key = try row.text(0) else { return }
                lookups.append(OrderLookup(key: key, uuid: try row.text(1), accessToken: try row.text(2), name: try row.text(3),
                                           posReference: try row.text(4)))
            }
        }
        return lookups
    }

    /// The id of the newest event (0 in an empty store).
    func lastEventID() throws -> Int64 {
        try Self.wrap { try database.count("SELECT COALESCE(MAX(id), 0) FROM events") }
    }

    /// Records one verify of `lookups` in one transaction: the matched ones move on (with
    /// `matched_order_id`, `verified_at` and an event), the others are "missing" (`last_checked_at`
    /// set, `matched_order_id` empty). States are re-read under the lock: an order an import
    /// settled meanwhile is left alone.
    func recordVerification(of lookups: [OrderLookup], matches: [OdooOrderMatch], actor: String) throws -> VerifyReport {
        let now = Self.timestamp()
        let matched = Set(matches.map(\.key))
        let unverified = OrderState.unverified.map { StoreValue.text($0.rawValue) as StoreValue? }
        // Beside `key IN (…)`, a plain `state IN (…)` lets the planner pick the state index and
        // read every unverified order once per chunk (100,000 orders: minutes); as an expression it
        // is only a filter on the rows the primary key finds.
        let inStates = Self.filterOnly("state IN (\(Self.marks(unverified.count)))")
        // The one table decides; the SQL below only spells out its answer.
        let found = OrderState.unverified.compactMap { state in state.foundInOdoo.map { (state, $0) } }
        func nextState(_ table: String) -> String {
            "CASE " + found.map { "WHEN \(table).state = '\($0.0.rawValue)' THEN '\($0.1.rawValue)'" }.joined(separator: " ") + " END"
        }
        var verified = 0
        try Self.wrap {
            try database.write {
                var start = 0
                while start < matches.count {
                    let chunk = matches[start..<min(start + 400, matches.count)]
                    let values = Array(repeating: "(?, ?, ?)", count: chunk.count).joined(separator: ",")
                    let parameters: [StoreValue?] = chunk.flatMap { match -> [StoreValue?] in
                        [.text(match.key), .integer(Int64(match.odooID)), .text(match.matchedBy.rawValue)]
                    }
                    // A CTE names the VALUES' columns in a way both databases read.
                    try database.execute("""
                        WITH m(key, id, matched_by) AS (VALUES \(values))
                        INSERT INTO events (order_id, key, at, from_state, to_state, actor, reason)
                        SELECT o.id, o.key, ?, o.state, \(nextState("o")), ?,
                               'found in Odoo: pos.order ' || CAST(m.id AS TEXT) || ' (by ' || m.matched_by || ')'
                        FROM orders o JOIN m ON o.key = m.key
                        WHERE \(inStates.replacingOccurrences(of: "state", with: "o.state"))
                        """, parameters + [.text(now), .text(actor)] + unverified)
                    // `key IN (SELECT …)` lets both databases find each row by its primary key;
                    // an UPDATE … FROM join made SQLite scan the whole table once per chunk.
                    verified += try database.execute("""
                        WITH m(key, id, matched_by) AS (VALUES \(values))
                        UPDATE orders SET state = \(nextState("orders")),
                               matched_order_id = (SELECT CAST(m.id AS BIGINT) FROM m WHERE m.key = orders.key),
                               verified_at = ?, last_checked_at = ?
                        WHERE key IN (SELECT key FROM m) AND \(inStates)
                        """, parameters + [.text(now), .text(now)] + unverified)
                    start += 400
                }
                let missing = lookups.map(\.key).filter { !matched.contains($0) }
                start = 0
                while start < missing.count {
                    let chunk = missing[start..<min(start + 500, missing.count)].map { StoreValue.text($0) as StoreValue? }
                    try database.execute("UPDATE orders SET last_checked_at = ?, matched_order_id = NULL WHERE key IN (\(Self.marks(chunk.count))) AND \(inStates)",
                                         [.text(now)] + chunk + unverified)
                    start += 500
                }
            }
        }
        var missingNow = 0
        let keys = lookups.map(\.key).filter { !matched.contains($0) }
        if !keys.isEmpty {
            missingNow = Int(try Self.wrap {
                try database.count("SELECT count(*) FROM orders WHERE state = 'synced' AND last_checked_at = ? AND matched_order_id IS NULL",
                                   [.text(now)])
            })
        }
        return VerifyReport(checked: lookups.count, verified: verified, missing: missingNow, checkedAt: now)
    }
}
