import Foundation

extension OrderStats {
    /// The condition of an order missing on the server (README "States"): `synced`, checked at
    /// least once, not found at the last check.
    static let missingCondition = "state = 'synced' AND last_checked_at IS NOT NULL AND matched_order_id IS NULL"

    /// The statistics of the store `database`, with days in `timeZone` (the shop's).
    ///
    /// Five aggregate queries on one snapshot (the per-day one once per 1,000 days), never a
    /// pass over the orders in Swift: Swift only sees groups (states, sessions, configs, days).
    /// The SQL is one text for SQLite and PostgreSQL; the shop's days come from
    /// `UTCOffsetSegments` bound as parameters, not from either database's time zone functions.
    static func compute(_ database: any StoreDatabase, timeZone: TimeZone) throws -> OrderStats {
        try database.read {
            var byState = StateCounts()
            try database.query("SELECT state, COUNT(*) FROM orders GROUP BY state", []) { row in
                byState.add(Int(try row.integer(1) ?? 0), to: try row.text(0) ?? "")
            }
            let missingBySession = try missingCounts(database, by: "session_id")
            let missingByConfig = try missingCounts(database, by: "config_id")

            // Two sub-selects, because SQLite reads a lone MIN or MAX from the index's end but
            // scans the whole table for both at once.
            var range: (low: String, high: String)?
            try database.query("SELECT (SELECT MIN(order_date) FROM orders), (SELECT MAX(order_date) FROM orders)", []) { row in
                if let low = try row.text(0), let high = try row.text(1) { range = (low, high) }
            }
            var perDay: [DayCount] = []
            if let range {
                let segments = try UTCOffsetSegments(timeZone: timeZone, from: range.low, through: range.high)
                perDay = try dayCounts(database, segments.dayRanges())
            }
            return OrderStats(byState: byState, missingBySession: missingBySession, missingByConfig: missingByConfig,
                              perDay: perDay)
        }
    }

    /// Missing orders grouped by `column` (`session_id` or `config_id`).
    private static func missingCounts(_ database: any StoreDatabase, by column: String) throws -> [MissingCount] {
        var counts: [MissingCount] = []
        try database.query("SELECT \(column), COUNT(*) FROM orders WHERE \(missingCondition) GROUP BY \(column)", []) { row in
            counts.append(MissingCount(id: try row.integer(0), missing: Int(try row.integer(1) ?? 0)))
        }
        return counts
    }

    /// How many day ranges one per-day query binds: 3,000 parameters, far below both databases'
    /// limits; a year of orders is one query.
    static let dayRangesPerQuery = 1_000

    /// Orders and missing orders per day of the shop, for the days that have orders.
    ///
    /// Each of the shop's days is given as its UTC range(s) (`UTCOffsetSegments.dayRanges`), bound
    /// as a VALUES list, and counted by two correlated `COUNT(*)`s per range: one SQL text for
    /// SQLite and PostgreSQL (VALUES columns are `column1`… in both), and each count an index
    /// range (`orders_order_date`; `orders_state` for the missing ones), with no expression per
    /// order and no sort of the orders. Shifting each order by its offset in SQL and grouping by
    /// the shifted date gives the same days but took 1.4 s on a million orders in SQLite, nearly
    /// all in evaluating and sorting a million rows.
    static func dayCounts(_ database: any StoreDatabase, _ ranges: [UTCOffsetSegments.DayRange]) throws -> [DayCount] {
        var days: [String: (orders: Int, missing: Int)] = [:]
        var start = 0
        while start < ranges.count {
            let chunk = ranges[start..<min(start + dayRangesPerQuery, ranges.count)]
            let inRange = "order_date >= d.column2 AND order_date < d.column3"
            let sql = "SELECT d.column1, (SELECT COUNT(*) FROM orders WHERE \(inRange)), "
                + "(SELECT COUNT(*) FROM orders WHERE \(inRange) AND \(missingCondition)) "
                + "FROM (VALUES " + Array(repeating: "(?, ?, ?)", count: chunk.count).joined(separator: ", ") + ") AS d"
            try database.query(sql, chunk.flatMap { [.text($0.day), .text($0.low), .text($0.high)] }) { row in
                let orders = Int(try row.integer(1) ?? 0)
                guard orders > 0, let day = try row.text(0) else { return }
                days[day, default: (0, 0)].orders += orders
                days[day, default: (0, 0)].missing += Int(try row.integer(2) ?? 0)
            }
            start += dayRangesPerQuery
        }
        return days.map { DayCount(day: $0.key, orders: $0.value.orders, missing: $0.value.missing) }
    }
}
