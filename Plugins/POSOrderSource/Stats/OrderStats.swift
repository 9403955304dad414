/// What `cadang stats pos` reports about an order store (README "Commands", `cadang stats pos`):
/// totals by state, the success rate, the orders missing on the server by session and by config,
/// and orders and missing orders per day in the shop's time zone.
///
/// Its JSON is the README's `--json` shape, keys in that order:
/// `{"total","by_state":{…},"success_rate","missing_by_session":[{"session_id","missing"}],
/// "missing_by_config":[{"config_id","missing"}],"per_day":[{"day","orders","missing"}]}`.
/// "Missing on server" is an order in `synced` that was checked (`last_checked_at` set) and not
/// found (`matched_order_id` empty).
struct OrderStats: Encodable, Sendable, Equatable {
    /// Every state an order can be in, in the order reports list them (README "States").
    static let states = ["synced", "verified", "imported", "duplicate", "error"]
    /// The states in which Odoo has the order: the numerator of the success rate.
    static let successfulStates: Set<String> = ["verified", "imported", "duplicate"]

    /// Every order in the store, with or without an order date.
    let total: Int
    /// Orders per state; every state of `states` is present, with 0 when none is in it.
    let byState: StateCounts
    /// (verified + imported + duplicate) / total, from 0 to 1; 0 for an empty store (nothing has
    /// failed, but nothing has succeeded either, and a division by zero helps no one).
    let successRate: Double
    /// Missing orders per session, most missing first, then by session id (no session last).
    let missingBySession: [MissingCount]
    /// Missing orders per config (till), most missing first, then by config id (no config last).
    let missingByConfig: [MissingCount]
    /// Per day of the shop's time zone, oldest first; only days with orders, and only orders
    /// with an order date.
    let perDay: [DayCount]

    /// Assembles the report, deriving the success rate from the state counts.
    init(byState: StateCounts, missingBySession: [MissingCount], missingByConfig: [MissingCount], perDay: [DayCount]) {
        total = byState.total
        self.byState = byState
        let successful = Self.successfulStates.reduce(0) { $0 + byState[$1] }
        successRate = total == 0 ? 0 : Double(successful) / Double(total)
        self.missingBySession = missingBySession.sorted(by: MissingCount.reportOrder)
        self.missingByConfig = missingByConfig.sorted(by: MissingCount.reportOrder)
        self.perDay = perDay.sorted { $0.day < $1.day }
    }

    private enum CodingKeys: String, CodingKey {
        case total, byState = "by_state", successRate = "success_rate", missingBySession = "missing_by_session"
        case missingByConfig = "missing_by_config", perDay = "per_day"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(total, forKey: .total)
        try container.encode(byState, forKey: .byState)
        try container.encode(successRate, forKey: .successRate)
        // The two lists differ only in the name of their id.
        var sessions = container.nestedUnkeyedContainer(forKey: .missingBySession)
        for entry in missingBySession { try sessions.encode(entry.keyed("session_id")) }
        var configs = container.nestedUnkeyedContainer(forKey: .missingByConfig)
        for entry in missingByConfig { try configs.encode(entry.keyed("config_id")) }
        try container.encode(perDay, forKey: .perDay)
    }

    /// Orders per state, for every state of `OrderStats.states` (a state the store does not
    /// know is not listed, but still counts in the total).
    struct StateCounts: Encodable, Sendable, Equatable {
        private var counts: [String: Int] = [:]
        /// All orders counted, listed states or not.
        private(set) var total = 0

        /// No orders at all.
        init() {}

        /// `counts` by state name.
        init(_ counts: [String: Int]) {
            for (state, count) in counts { add(count, to: state) }
        }

        /// The orders in `state` (0 when none).
        subscript(state: String) -> Int { counts[state] ?? 0 }

        /// Counts `count` more orders in `state`.
        mutating func add(_ count: Int, to state: String) {
            counts[state, default: 0] += count
            total += count
        }

        static func == (left: StateCounts, right: StateCounts) -> Bool {
            left.total == right.total && OrderStats.states.allSatisfy { left[$0] == right[$0] }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: NameKey.self)
            for state in OrderStats.states { try container.encode(self[state], forKey: NameKey(state)) }
        }
    }

    /// How many missing orders one session or config has; `id` is nil for orders without one.
    struct MissingCount: Sendable, Equatable {
        let id: Int64?
        let missing: Int

        /// Most missing first, then ascending id, orders without an id last: the same order
        /// whichever database produced the groups.
        static func reportOrder(_ left: MissingCount, _ right: MissingCount) -> Bool {
            if left.missing != right.missing { return left.missing > right.missing }
            switch (left.id, right.id) {
            case let (left?, right?): return left < right
            case (.some, nil): return true
            default: return false
            }
        }

        /// This count as `{"<name>": id or null, "missing": n}`.
        func keyed(_ name: String) -> KeyedMissingCount { KeyedMissingCount(name: name, count: self) }
    }

    /// A `MissingCount` encoded under its list's id name; a missing id is `null`, not left out.
    struct KeyedMissingCount: Encodable {
        let name: String
        let count: MissingCount

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: NameKey.self)
            if let id = count.id {
                try container.encode(id, forKey: NameKey(name))
            } else {
                try container.encodeNil(forKey: NameKey(name))
            }
            try container.encode(count.missing, forKey: NameKey("missing"))
        }
    }

    /// One day of the shop's calendar: its orders and how many of them are missing on the server.
    struct DayCount: Encodable, Sendable, Equatable {
        /// `YYYY-MM-DD` in the shop's time zone.
        let day: String
        let orders: Int
        let missing: Int
    }

    /// A coding key made from a name at run time (state names, the id of a missing list).
    struct NameKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
