import Foundation
import POSTestSupport
@testable import POSOrderSource
import XCTest

/// `OrderStats.compute` on both stores against counts made another way: Python's sqlite3 and
/// zoneinfo on the SQLite file, PostgreSQL's own time zone arithmetic on the PostgreSQL schema,
/// Foundation's Calendar on the rows as inserted; and both stores equal for the same rows.
final class OrderStatsTests: XCTestCase {
    private var folder: URL!
    private var postgres: TestDatabase?

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderstats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
        try postgres?.drop()
        try super.tearDownWithError()
    }

    func testSQLiteAgreesWithPythonOnTheSameFile() throws {
        let orders = OrderStatsFixture.orders()
        let file = folder.appendingPathComponent("orders.db")
        let store = try OrderStatsFixture.sqliteStore(file, orders)
        for zone in OrderStatsFixture.zones {
            let stats = try OrderStats.compute(store, timeZone: try OrderStatsFixture.timeZone(zone))
            let ours = try JSONSerialization.jsonObject(with: JSONEncoder().encode(stats)) as? NSDictionary
            let python = try OrderStatsFixture.python(file, zone)
            XCTAssertEqual(ours, python, "\(zone): Swift and Python disagree")
            XCTAssertGreaterThan(stats.perDay.count, 250, "the fixture spreads over hundreds of days")
        }
    }

    func testPostgresAgreesWithItsOwnTimeZoneArithmetic() throws {
        let orders = OrderStatsFixture.orders()
        let store = try postgresStore(orders)
        for zone in OrderStatsFixture.zones {
            let stats = try OrderStats.compute(store, timeZone: try OrderStatsFixture.timeZone(zone))
            // AT TIME ZONE is what compute must not rely on; as a check it is a second opinion.
            var days: [OrderStats.DayCount] = []
            try store.query("""
                SELECT to_char((order_date::timestamp AT TIME ZONE 'UTC') AT TIME ZONE ?, 'YYYY-MM-DD'), count(*),
                       count(*) FILTER (WHERE state = 'synced' AND last_checked_at IS NOT NULL AND matched_order_id IS NULL)
                FROM orders WHERE order_date IS NOT NULL GROUP BY 1 ORDER BY 1
                """, [.text(zone)]) { row in
                days.append(.init(day: try row.text(0) ?? "", orders: Int(try row.integer(1) ?? -1), missing: Int(try row.integer(2) ?? -1)))
            }
            XCTAssertEqual(stats.perDay, days, zone)

            for (column, list) in [("session_id", stats.missingBySession), ("config_id", stats.missingByConfig)] {
                var expected: [OrderStats.MissingCount] = []
                try store.query("""
                    SELECT \(column), count(*) FILTER (WHERE state = 'synced' AND last_checked_at IS NOT NULL AND matched_order_id IS NULL) AS m
                    FROM orders GROUP BY \(column) HAVING count(*) FILTER (WHERE state = 'synced' AND last_checked_at IS NOT NULL
                        AND matched_order_id IS NULL) > 0
                    ORDER BY m DESC, \(column) ASC NULLS LAST
                    """, []) { row in
                    expected.append(.init(id: try row.integer(0), missing: Int(try row.integer(1) ?? -1)))
                }
                XCTAssertEqual(list, expected, "\(zone) \(column)")
            }

            var counts: [Int] = []
            try store.query("""
                SELECT count(*), count(*) FILTER (WHERE state = 'synced'), count(*) FILTER (WHERE state = 'verified'),
                       count(*) FILTER (WHERE state = 'imported'), count(*) FILTER (WHERE state = 'duplicate'),
                       count(*) FILTER (WHERE state = 'error'),
                       count(*) FILTER (WHERE state IN ('verified', 'imported', 'duplicate'))
                FROM orders
                """, []) { row in counts = try (0..<7).map { Int(try row.integer($0) ?? -1) } }
            XCTAssertEqual([stats.total] + OrderStats.states.map { stats.byState[$0] }, Array(counts.prefix(6)))
            XCTAssertEqual(stats.successRate, Double(counts[6]) / Double(counts[0]))
        }
    }

    func testBothStoresGiveTheStatsOfTheRowsInserted() throws {
        let orders = OrderStatsFixture.orders()
        let sqlite = try OrderStatsFixture.sqliteStore(folder.appendingPathComponent("orders.db"), orders)
        let postgres = try postgresStore(orders)
        for zone in OrderStatsFixture.zones {
            let timeZone = try OrderStatsFixture.timeZone(zone)
            let expected = try OrderStatsFixture.expected(orders, timeZone)
            let fromSQLite = try OrderStats.compute(sqlite, timeZone: timeZone)
            let fromPostgres = try OrderStats.compute(postgres, timeZone: timeZone)
            XCTAssertEqual(fromSQLite, expected, "\(zone): SQLite")
            XCTAssertEqual(fromPostgres, expected, "\(zone): PostgreSQL")
            // Sorted keys: Foundation's encoder does not keep the keys' order from one run to the next.
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            XCTAssertEqual(try encoder.encode(fromSQLite), try encoder.encode(fromPostgres), zone)
        }
    }

    /// The instants either side of the shop's midnight and of Berlin's two switches of 2025,
    /// with the days written out by hand rather than computed.
    func testDaysAroundMidnightAndTheDSTSwitches() throws {
        let cases: [(zone: String, utc: String, day: String)] = [
            ("Asia/Jakarta", "2026-01-10 16:59:59", "2026-01-10"), ("Asia/Jakarta", "2026-01-10 17:00:00", "2026-01-11"),
            ("Asia/Jakarta", "2026-01-11 00:00:00", "2026-01-11"), ("Asia/Jakarta", "2025-12-31 17:00:00", "2026-01-01"),
            ("Asia/Jakarta", "2024-02-28 17:00:00", "2024-02-29"), ("Asia/Jakarta", "2024-02-29 17:00:00", "2024-03-01"),
            // Berlin in winter: +01:00.
            ("Europe/Berlin", "2025-03-29 22:59:59", "2025-03-29"), ("Europe/Berlin", "2025-03-29 23:00:00", "2025-03-30"),
            // 02:00 CET becomes 03:00 CEST at 01:00 UTC on 30 March.
            ("Europe/Berlin", "2025-03-30 00:59:59", "2025-03-30"), ("Europe/Berlin", "2025-03-30 01:00:00", "2025-03-30"),
            // In summer (+02:00) midnight is at 22:00 UTC.
            ("Europe/Berlin", "2025-03-30 21:59:59", "2025-03-30"), ("Europe/Berlin", "2025-03-30 22:00:00", "2025-03-31"),
            ("Europe/Berlin", "2025-10-25 21:59:59", "2025-10-25"), ("Europe/Berlin", "2025-10-25 22:00:00", "2025-10-26"),
            // 03:00 CEST becomes 02:00 CET at 01:00 UTC on 26 October; the repeated hour stays on the 26th.
            ("Europe/Berlin", "2025-10-26 00:59:59", "2025-10-26"), ("Europe/Berlin", "2025-10-26 01:00:00", "2025-10-26"),
            ("Europe/Berlin", "2025-10-26 22:59:59", "2025-10-26"), ("Europe/Berlin", "2025-10-26 23:00:00", "2025-10-27"),
            ("Europe/Berlin", "2025-12-31 22:59:59", "2025-12-31"), ("Europe/Berlin", "2025-12-31 23:00:00", "2026-01-01"),
        ]
        for zone in OrderStatsFixture.zones {
            let zoneCases = cases.filter { $0.zone == zone }
            // Each instant as its own day's only order of a given state, so a wrong day shows.
            let orders = zoneCases.enumerated().map { index, item in
                OrderStatsFixture.Order(key: "edge\(index)", state: "synced", sessionID: Int64(index), configID: 1,
                                        orderDate: item.utc, lastCheckedAt: "2026-02-01 00:00:00", matchedOrderID: nil)
            }
            var expected: [String: Int] = [:]
            for item in zoneCases { expected[item.day, default: 0] += 1 }
            let sqlite = try OrderStatsFixture.sqliteStore(folder.appendingPathComponent("edge-\(zone.replacingOccurrences(of: "/", with: "-")).db"), orders)
            let postgres = try postgresStore(orders)
            for (name, store) in [("SQLite", sqlite as any StoreDatabase), ("PostgreSQL", postgres)] {
                let stats = try OrderStats.compute(store, timeZone: try OrderStatsFixture.timeZone(zone))
                XCTAssertEqual(stats.perDay, expected.sorted { $0.key < $1.key }.map { .init(day: $0.key, orders: $0.value, missing: $0.value) },
                               "\(name) \(zone)")
            }
            try postgres.execute("DROP SCHEMA cadang CASCADE", [])
        }
    }

    func testAnEmptyStoreAndOrdersWithoutADate() throws {
        let sqlite = try OrderStatsFixture.sqliteStore(folder.appendingPathComponent("empty.db"), [])
        let postgres = try postgresStore([])
        let jakarta = try OrderStatsFixture.timeZone("Asia/Jakarta")
        for store in [sqlite as any StoreDatabase, postgres] {
            let stats = try OrderStats.compute(store, timeZone: jakarta)
            XCTAssertEqual(stats.total, 0)
            XCTAssertEqual(stats.successRate, 0)
            XCTAssertEqual(OrderStats.states.map { stats.byState[$0] }, [0, 0, 0, 0, 0])
            XCTAssertEqual(stats.missingBySession, [])
            XCTAssertEqual(stats.perDay, [])
        }
        let undated = [
            OrderStatsFixture.Order(key: "a", state: "verified", sessionID: 1, configID: 1, orderDate: nil, lastCheckedAt: nil, matchedOrderID: 9),
            OrderStatsFixture.Order(key: "b", state: "synced", sessionID: nil, configID: nil, orderDate: nil,
                                    lastCheckedAt: "2026-01-01 00:00:00", matchedOrderID: nil),
        ]
        for store in [sqlite as any StoreDatabase, postgres] {
            try store.write { try OrderStatsFixture.insert(undated, into: store) }
            let stats = try OrderStats.compute(store, timeZone: jakarta)
            XCTAssertEqual(stats.total, 2)
            XCTAssertEqual(stats.successRate, 0.5)
            XCTAssertEqual(stats.missingBySession, [.init(id: nil, missing: 1)])
            XCTAssertEqual(stats.missingByConfig, [.init(id: nil, missing: 1)])
            XCTAssertEqual(stats.perDay, [], "orders without a date count in the total only")
        }
    }

    /// A fresh PostgreSQL database (the throwaway server; failing, not skipping, without it)
    /// with the store's tables in schema `cadang` and `orders` in them.
    private func postgresStore(_ orders: [OrderStatsFixture.Order]) throws -> PostgresStoreDatabase {
        if postgres == nil { postgres = try TestPostgres.makeDatabase("orderstats") }
        guard let postgres else { throw CocoaError(.fileNoSuchFile) }
        let store = try PostgresStoreDatabase(conninfo: postgres.conninfo, schema: "cadang")
        try store.execute("CREATE SCHEMA IF NOT EXISTS cadang", [])
        try store.write {
            for statement in StoreSchema.statements(postgres: true) { try store.execute(statement, []) }
            try OrderStatsFixture.insert(orders, into: store)
        }
        return store
    }
}

/// The rows the stats tests insert and the independent ways of counting them.
enum OrderStatsFixture {
    /// A zone without DST whose midnight is 17:00 UTC, and one that switches in March and October.
    static let zones = ["Asia/Jakarta", "Europe/Berlin"]

    /// The columns the stats read, plus what the table requires.
    struct Order {
        let key: String
        let state: String
        let sessionID: Int64?
        let configID: Int64?
        let orderDate: String?
        let lastCheckedAt: String?
        let matchedOrderID: Int64?

        var isMissing: Bool { state == "synced" && lastCheckedAt != nil && matchedOrderID == nil }
    }

    static func timeZone(_ identifier: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else { throw CocoaError(.featureUnsupported) }
        return zone
    }

    /// A few hundred orders: every state, sessions and configs with and without ids, dates over
    /// 2025 and January 2026 plus a cluster at each zone's midnight and at Berlin's switches, some
    /// without a date; the same every run (a seeded generator).
    static func orders() -> [Order] {
        var random = SplitMix64(seed: 20_260_111)
        let edges = ["2026-01-10 16:59:59", "2026-01-10 17:00:00", "2025-06-30 16:59:59", "2025-06-30 17:00:00",
                     "2025-03-29 22:59:59", "2025-03-29 23:00:00", "2025-03-30 00:59:59", "2025-03-30 01:00:00",
                     "2025-03-30 21:59:59", "2025-03-30 22:00:00", "2025-10-25 21:59:59", "2025-10-25 22:00:00",
                     "2025-10-26 00:30:00", "2025-10-26 00:59:59", "2025-10-26 01:00:00", "2025-10-26 01:30:00",
                     "2025-10-26 22:59:59", "2025-10-26 23:00:00", "2025-01-01 00:00:00", "2026-01-31 23:59:59"]
        let start = 1_735_689_600 // 2025-01-01 00:00:00 UTC
        let states = ["synced", "synced", "synced", "verified", "verified", "verified", "verified", "imported", "duplicate", "error"]
        return (0..<640).map { index in
            let date: String?
            if index < edges.count * 6 {
                date = edges[index % edges.count]
            } else if random.next(30) == 0 {
                date = nil
            } else {
                date = OdooTimestamp.format(secondsSinceEpoch: start + random.next(396 * 86_400))
            }
            let state = states[random.next(states.count)]
            let checked = random.next(5) == 0 ? nil : "2026-02-01 0\(random.next(10)):00:00"
            let matched: Int64? = state == "synced" ? (random.next(4) == 0 ? Int64(index) : nil) : (random.next(3) == 0 ? nil : Int64(index))
            return Order(key: "order-\(index)", state: state,
                         sessionID: random.next(12) == 0 ? nil : Int64(100 + random.next(15)),
                         configID: random.next(15) == 0 ? nil : Int64(1 + random.next(4)),
                         orderDate: date, lastCheckedAt: checked, matchedOrderID: matched)
        }
    }

    /// A new SQLite store at `file` with the schema and `orders`.
    static func sqliteStore(_ file: URL, _ orders: [Order]) throws -> SQLiteStoreDatabase {
        let store = try SQLiteStoreDatabase(url: file)
        try store.write {
            for statement in StoreSchema.statements(postgres: false) { try store.execute(statement, []) }
            try insert(orders, into: store)
        }
        return store
    }

    /// Plain INSERTs of `orders` (inside the caller's write).
    static func insert(_ orders: [Order], into store: any StoreDatabase) throws {
        let columns = ["id", "key", "key_kind", "uuid", "session_id", "config_id", "order_date", "received_at", "lines", "payments",
                       "state", "versions", "content_sha256", "last_checked_at", "matched_order_id"]
        try store.insert(into: "orders", columns: columns, rows: orders.enumerated().map { index, order -> [StoreValue?] in
            [.integer(Int64(index + 1)), .text(order.key), .text("uuid"), .text(order.key), order.sessionID.map { .integer($0) }, order.configID.map { .integer($0) },
             order.orderDate.map { .text($0) }, .text("2026-02-01 00:00:00"), .integer(1), .integer(1), .text(order.state),
             .integer(1), .text(String(repeating: "0", count: 64)), order.lastCheckedAt.map { .text($0) },
             order.matchedOrderID.map { .integer($0) }]
        })
    }

    /// The stats of `orders` by Foundation's Calendar in `timeZone`, one order at a time.
    static func expected(_ orders: [Order], _ timeZone: TimeZone) throws -> OrderStats {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = TimeZone(identifier: "UTC")
        parser.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var byState: [String: Int] = [:]
        var sessions: [Int64?: Int] = [:]
        var configs: [Int64?: Int] = [:]
        var days: [String: (orders: Int, missing: Int)] = [:]
        for order in orders {
            byState[order.state, default: 0] += 1
            if order.isMissing {
                sessions[order.sessionID, default: 0] += 1
                configs[order.configID, default: 0] += 1
            }
            guard let text = order.orderDate else { continue }
            guard let date = parser.date(from: text) else { throw CocoaError(.formatting) }
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            days[day, default: (0, 0)].orders += 1
            if order.isMissing { days[day, default: (0, 0)].missing += 1 }
        }
        return OrderStats(byState: .init(byState),
                          missingBySession: sessions.map { .init(id: $0.key, missing: $0.value) },
                          missingByConfig: configs.map { .init(id: $0.key, missing: $0.value) },
                          perDay: days.map { .init(day: $0.key, orders: $0.value.orders, missing: $0.value.missing) })
    }

    /// The stats JSON Python computes from the SQLite file with its own loop and zoneinfo.
    static func python(_ file: URL, _ zone: String) throws -> NSDictionary? {
        let script = """
            import json, sqlite3, sys
            from datetime import datetime, timezone
            from zoneinfo import ZoneInfo
            zone = ZoneInfo(sys.argv[2])
            rows = sqlite3.connect(sys.argv[1]).execute(
                "SELECT state, session_id, config_id, order_date, last_checked_at, matched_order_id FROM orders").fetchall()
            states = ["synced", "verified", "imported", "duplicate", "error"]
            by_state = {s: 0 for s in states}
            sessions, configs, days = {}, {}, {}
            for state, session, config, date, checked, matched in rows:
                by_state[state] += 1
                missing = state == "synced" and checked is not None and matched is None
                if missing:
                    sessions[session] = sessions.get(session, 0) + 1
                    configs[config] = configs.get(config, 0) + 1
                if date is not None:
                    utc = datetime.strptime(date, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
                    day = utc.astimezone(zone).strftime("%Y-%m-%d")
                    entry = days.setdefault(day, [0, 0])
                    entry[0] += 1
                    entry[1] += 1 if missing else 0
            total = len(rows)
            good = by_state["verified"] + by_state["imported"] + by_state["duplicate"]
            def listed(counts, name):
                items = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or 0))
                return [{name: key, "missing": value} for key, value in items]
            print(json.dumps({"total": total, "by_state": by_state, "success_rate": good / total if total else 0,
                              "missing_by_session": listed(sessions, "session_id"),
                              "missing_by_config": listed(configs, "config_id"),
                              "per_day": [{"day": d, "orders": v[0], "missing": v[1]} for d, v in sorted(days.items())]}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path, zone]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return try JSONSerialization.jsonObject(with: data) as? NSDictionary
    }
}

/// A small seeded generator, so the fixture is the same on every run and machine.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
