/// What one import did (`restore pos --json`, README `cadang restore pos`).
struct ImportReport: Encodable, Sendable {
    /// An order Odoo created.
    struct Imported: Encodable, Sendable, Equatable {
        var key: String
        var version: Int64
        var odooID: Int
        /// The session Odoo put it in (another open one of the config when the payload's was closed).
        var sessionID: Int?

        enum CodingKeys: String, CodingKey {
            case key, version
            case odooID = "odoo_id"
            case sessionID = "session_id"
        }
    }

    /// An order Odoo already had.
    struct Duplicate: Encodable, Sendable, Equatable {
        var key: String
        var odooID: Int

        enum CodingKeys: String, CodingKey {
            case key
            case odooID = "odoo_id"
        }
    }

    /// An order that ended in `error`.
    struct Failed: Encodable, Sendable, Equatable {
        var key: String
        var reason: String
    }

    var imported: [Imported] = []
    var duplicate: [Duplicate] = []
    var error: [Failed] = []
    /// Chosen orders left as they were, with why (not importable, or waiting for an earlier send).
    var skipped: [ImportSkip] = []
    /// Every order taken, in the order it was taken: the dry run's list.
    var orders: [String] = []

    /// `pos: 3 imported, 1 duplicate, 1 error`.
    func line(source: String) -> String {
        "\(source): \(imported.count) imported, \(duplicate.count) duplicate, \(error.count) error"
            + (skipped.isEmpty ? "" : ", \(skipped.count) skipped")
    }
}

/// What an import would do (`restore pos --dry-run --json`): the orders in the order the real run
/// takes them, and for each whether cadang would send it or refuse it. Odoo is not asked, so an
/// order it already has shows here as sent and ends as `duplicate`.
struct ImportPlanReport: Encodable, Sendable {
    /// An order the run would send.
    struct Send: Encodable, Sendable, Equatable {
        var key: String
        var version: Int64
        var sessionID: Int64?
        var orderDate: String?
        var amountTotal: Double?

        enum CodingKeys: String, CodingKey {
            case key, version
            case sessionID = "session_id"
            case orderDate = "order_date"
            case amountTotal = "amount_total"
        }
    }

    var dryRun = true
    var orders: [String] = []
    var send: [Send] = []
    var refuse: [ImportReport.Failed] = []
    var skipped: [ImportSkip] = []
    /// A line per order, for people.
    private(set) var lines: [String] = []

    enum CodingKeys: String, CodingKey {
        case orders, send, refuse, skipped
        case dryRun = "dry_run"
    }
}

extension ImportPlanReport {
    /// The plan of `planned` (in its order) and the chosen keys left out.
    init(_ planned: [OrderImport.Planned], skipped: [ImportSkip]) {
        self.skipped = skipped
        for item in planned {
            let order = item.candidate
            orders.append(order.key)
            if let refusal = item.refusal {
                refuse.append(.init(key: order.key, reason: refusal))
            } else if let version = order.version {
                send.append(.init(key: order.key, version: version, sessionID: order.sessionID, orderDate: order.orderDate,
                                  amountTotal: order.amountTotal))
            }
        }
        let refused = Dictionary(uniqueKeysWithValues: refuse.map { ($0.key, $0.reason) })
        let sent = Dictionary(uniqueKeysWithValues: send.map { ($0.key, $0) })
        lines = planned.map { item in
            let key = item.candidate.key
            if let reason = refused[key] { return "would refuse order \(key): \(reason)" }
            guard let order = sent[key] else { return "would refuse order \(key)" }
            let session = order.sessionID.map { "session \($0)" } ?? "no session"
            let date = order.orderDate.map { "\($0) UTC" } ?? "no date"
            let total = order.amountTotal.map { "total \(ImportCheck.amount($0))" } ?? "no total"
            let recheck = item.candidate.sentAt.map { "; sent at \($0) UTC without an answer, so Odoo is asked first" } ?? ""
            return "would send   order \(key) version \(order.version) (\(session), \(date), \(total))\(recheck)"
        } + skipped.map { "would skip   order \($0.key): \($0.reason)" }
    }
}
