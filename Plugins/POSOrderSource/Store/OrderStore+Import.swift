import CadangCore

/// One order an import would send (`restore --dry-run` lists these), as the store has it now.
struct ImportCandidate: Sendable, Equatable {
    var id: Int64
    var key: String
    var state: OrderState
    var uuid: String?
    var sessionID: Int64?
    var configID: Int64?
    var orderDate: String?
    var amountTotal: Double?
    /// The version to send: the newest one with lines (nil: no version has any).
    var version: Int64?
    /// When an earlier import sent it without recording Odoo's answer (killed, or no answer in time).
    var sentAt: String?
}

/// A chosen order that is not imported, and why (`restore --json`'s `skipped`).
struct ImportSkip: Encodable, Sendable, Equatable {
    var key: String
    var reason: String
    /// Odoo has it already (verified, imported or duplicate): nothing was left undone.
    var isSettled = false

    enum CodingKeys: String, CodingKey {
        case key, reason
    }
}

/// What an import step recorded for one order.
enum ImportOutcome: Sendable, Equatable {
    /// Odoo created it: its id and the session it used.
    case imported(odooID: Int, sessionID: Int?, version: Int64, reason: String)
    /// Odoo already had it.
    case duplicate(odooID: Int, reason: String)
    /// Refused, by cadang or by Odoo; the reason is kept for the retry.
    case error(String)

    var state: OrderState {
        switch self {
        case .imported: .imported
        case .duplicate: .duplicate
        case .error: .error
        }
    }
}

extension OrderStore {
    /// Which orders an import looks at: missing ones (README "States") and `error` ones.
    static let importable = "((o.state = 'synced' AND o.last_checked_at IS NOT NULL AND o.matched_order_id IS NULL) OR o.state = 'error')"

    private static let candidateColumns = """
        o.id, o.key, o.state, o.uuid, o.session_id, o.config_id, o.order_date, o.amount_total,
        (SELECT MAX(v.version) FROM order_versions v WHERE v.order_id = o.id AND v.has_lines = 1), o.sent_at
        """

    private static func candidate(_ row: any StoreRow) throws -> ImportCandidate? {
        guard let id = try row.integer(0), let key = try row.text(1), let state = OrderState(rawValue: try row.text(2) ?? "") else { return nil }
        return ImportCandidate(id: id, key: key, state: state, uuid: try row.text(3), sessionID: try row.integer(4),
                               configID: try row.integer(5), orderDate: try row.text(6), amountTotal: try row.real(7),
                               version: try row.integer(8), sentAt: try row.text(9))
    }

    /// The orders `selection` chooses, oldest order date first (then arrival), and the chosen keys
    /// that are not importable, with why. Throws a usage error for a chosen key the store lacks.
    func importPlan(_ selection: ImportSelection) throws -> (candidates: [ImportCandidate], skipped: [ImportSkip]) {
        var conditions = [Self.importable]
        var values: [StoreValue?] = []
        if let session = selection.sessionID {
            conditions.append("o.session_id = ?")
            values.append(.integer(session))
        }
        if let from = selection.fromUTC {
            conditions.append("o.order_date >= ?")
            values.append(.text(from))
        }
        if let before = selection.beforeUTC {
            conditions.append("o.order_date < ?")
            values.append(.text(before))
        }
        let sql = "SELECT \(Self.candidateColumns) FROM orders o WHERE \(conditions.joined(separator: " AND "))"
        var candidates: [ImportCandidate] = []
        var skipped: [ImportSkip] = []
        try Self.wrap {
            try database.read {
                guard let keys = selection.keys else {
                    try database.query(sql, values) { if let found = try Self.candidate($0) { candidates.append(found) } }
                    return
                }
                var start = 0
                while start < keys.count {
                    let chunk = keys[start..<min(start + 500, keys.count)].map { StoreValue.text($0) as StoreValue? }
                    try database.query(sql + " AND o.key IN (\(Self.marks(chunk.count)))", values + chunk) {
                        if let found = try Self.candidate($0) { candidates.append(found) }
                    }
                    start += 500
                }
                let chosen = Set(candidates.map(\.key))
                for key in keys where !chosen.contains(key) {
                    guard let why = try whyNotImportable(key) else {
                        throw CadangError(.usage, "the store has no order '\(key)'", fix: "keys are uuids (or access tokens, or references): see the orders dataset or cadang stats")
                    }
                    skipped.append(ImportSkip(key: key, reason: why.reason, isSettled: why.settled))
                }
            }
        }
        candidates.sort { ($0.orderDate ?? "", $0.id) < ($1.orderDate ?? "", $1.id) }
        return (candidates, skipped)
    }

    /// Why a chosen key is not imported, and whether Odoo has it; nil when the store has no such order.
    private func whyNotImportable(_ key: String) throws -> (reason: String, settled: Bool)? {
        var why: String?
        var settled = false
        try database.query("SELECT state, last_checked_at FROM orders WHERE key = ?", [.text(key)]) { row in
            let state = try row.text(0) ?? ""
            if state == OrderState.synced.rawValue, try row.text(1) == nil {
                why = "not checked against Odoo yet: run cadang verify first"
            } else if state != OrderState.synced.rawValue && state != OrderState.error.rawValue {
                why = "already \(state)"
                settled = true
            } else {
                why = "outside the --session, --from and --to filters"
            }
        }
        return why.map { ($0, settled) }
    }

    /// The order as the store has it now, if it is still importable (read under its import lock).
    func importCandidate(id: Int64) throws -> ImportCandidate? {
        var found: ImportCandidate?
        try Self.wrap {
            try database.query("SELECT \(Self.candidateColumns) FROM orders o WHERE o.id = ? AND \(Self.importable)", [.integer(id)]) {
                found = try Self.candidate($0)
            }
        }
        return found
    }

    /// The payload of one version.
    func payload(order id: Int64, version: Int64) throws -> [UInt8]? {
        var payload: [UInt8]?
        try Self.wrap {
            try database.query("SELECT payload FROM order_versions WHERE order_id = ? AND version = ?", [.integer(id), .integer(version)]) {
                payload = try $0.text(0).map { Array($0.utf8) }
            }
        }
        return payload
    }

    /// Records that `order` is about to be sent (version `version`), durably, before it is: a
    /// run killed or timed out after this knows, next time, that Odoo may have it.
    func recordImportSending(_ order: ImportCandidate, version: Int64, actor: String) throws {
        let now = Self.timestamp()
        try Self.wrap {
            try database.write {
                try database.execute("UPDATE orders SET sent_at = ? WHERE id = ?", [.text(now), .integer(order.id)])
                try insertEvent(order, to: order.state, at: now, actor: actor, reason: "import: sending version \(version) to Odoo")
            }
        }
    }

    /// Forgets a send Odoo answered without creating anything (it refused the call as a whole).
    func clearImportSending(_ order: ImportCandidate) throws {
        _ = try Self.wrap { try database.execute("UPDATE orders SET sent_at = NULL WHERE id = ?", [.integer(order.id)]) }
    }

    /// Records an import step's outcome with its event, if the order is still in the state it
    /// was read in (the caller holds its import lock, so it is, unless cleanup removed it).
    func recordImport(_ order: ImportCandidate, _ outcome: ImportOutcome, actor: String, importedBy: String) throws {
        let next = outcome.state
        guard order.state.allows(next) else { throw IllegalTransition(key: order.key, from: order.state, to: next) }
        let now = Self.timestamp()
        try Self.wrap {
            try database.write {
                let changed: Int
                let reason: String
                switch outcome {
                case .imported(let odooID, _, _, let text):
                    reason = text
                    changed = try database.execute("""
                        UPDATE orders SET state = ?, matched_order_id = ?, imported_at = ?, imported_by = ?, last_checked_at = ?,
                               last_error = NULL, sent_at = NULL WHERE id = ? AND state = ?
                        """, [.text(next.rawValue), .integer(Int64(odooID)), .text(now), .text(importedBy), .text(now),
                              .integer(order.id), .text(order.state.rawValue)])
                case .duplicate(let odooID, let text):
                    reason = text
                    changed = try database.execute("""
                        UPDATE orders SET state = ?, matched_order_id = ?, last_checked_at = ?, last_error = NULL, sent_at = NULL
                        WHERE id = ? AND state = ?
                        """, [.text(next.rawValue), .integer(Int64(odooID)), .text(now), .integer(order.id), .text(order.state.rawValue)])
                case .error(let text):
                    reason = "import failed: " + text
                    changed = try database.execute("UPDATE orders SET state = ?, last_error = ?, sent_at = NULL WHERE id = ? AND state = ?",
                                                   [.text(next.rawValue), .text(text), .integer(order.id), .text(order.state.rawValue)])
                }
                if changed == 1 { try insertEvent(order, to: next, at: now, actor: actor, reason: reason) }
            }
        }
    }

    private func insertEvent(_ order: ImportCandidate, to state: OrderState, at now: String, actor: String, reason: String) throws {
        try database.execute("INSERT INTO events (order_id, key, at, from_state, to_state, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [.integer(order.id), .text(order.key), .text(now), .text(order.state.rawValue), .text(state.rawValue),
                              .text(actor), .text(reason)])
    }
}
