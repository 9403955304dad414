import Foundation
@testable import POSOrderSource
import XCTest

/// The UTC offset segments the per-day SQL is given, and the day arithmetic around them.
final class OrderStatsSegmentsTests: XCTestCase {
    func testBerlinSwitchesTwiceIn2025() throws {
        let berlin = try OrderStatsFixture.timeZone("Europe/Berlin")
        let segments = try UTCOffsetSegments(timeZone: berlin, from: "2025-01-01 00:00:00", through: "2025-12-31 23:59:59")
        XCTAssertEqual(segments.offsets, [3_600, 7_200, 3_600])
        XCTAssertEqual(segments.changes.map(\.start), ["2025-03-30 01:00:00", "2025-10-26 01:00:00"])
        // 1 January 2025 to 1 January 2026 (the span's last hour, local), the two switch days in two pieces.
        XCTAssertEqual(segments.dayRanges().count, 368)
        XCTAssertEqual(Set(segments.dayRanges().map(\.day)).count, 366, "31 December's evening is 1 January in Berlin")
    }

    func testTheDayRangesAroundASwitch() throws {
        let berlin = try OrderStatsFixture.timeZone("Europe/Berlin")
        let segments = try UTCOffsetSegments(timeZone: berlin, from: "2025-03-29 12:00:00", through: "2025-03-31 12:00:00")
        XCTAssertEqual(segments.dayRanges(), [
            .init(day: "2025-03-29", low: "2025-03-29 12:00:00", high: "2025-03-29 23:00:00"),
            .init(day: "2025-03-30", low: "2025-03-29 23:00:00", high: "2025-03-30 01:00:00"),
            .init(day: "2025-03-30", low: "2025-03-30 01:00:00", high: "2025-03-30 22:00:00"),
            .init(day: "2025-03-31", low: "2025-03-30 22:00:00", high: "2025-03-31 12:00:01"),
        ])
        let jakarta = try OrderStatsFixture.timeZone("Asia/Jakarta")
        let oneOrder = try UTCOffsetSegments(timeZone: jakarta, from: "2026-01-10 17:00:00", through: "2026-01-10 17:00:00")
        XCTAssertEqual(oneOrder.dayRanges(), [.init(day: "2026-01-11", low: "2026-01-10 17:00:00", high: "2026-01-10 17:00:01")])
    }

    func testASpanThatEndsOnASwitchIncludesIt() throws {
        let berlin = try OrderStatsFixture.timeZone("Europe/Berlin")
        let ending = try UTCOffsetSegments(timeZone: berlin, from: "2025-03-01 00:00:00", through: "2025-03-30 01:00:00")
        XCTAssertEqual(ending.changes, [.init(second: 1_743_296_400, offset: 7_200)])
        XCTAssertEqual(ending.changes.first?.start, "2025-03-30 01:00:00")
        let before = try UTCOffsetSegments(timeZone: berlin, from: "2025-03-01 00:00:00", through: "2025-03-30 00:59:59")
        XCTAssertEqual(before.changes, [])
        let starting = try UTCOffsetSegments(timeZone: berlin, from: "2025-03-30 01:00:00", through: "2025-04-30 00:00:00")
        XCTAssertEqual(starting.initialOffset, 7_200)
        XCTAssertEqual(starting.changes, [])
    }

    func testJakartaIsOneSegmentAndItsHistoryIsKnown() throws {
        let jakarta = try OrderStatsFixture.timeZone("Asia/Jakarta")
        let now = try UTCOffsetSegments(timeZone: jakarta, from: "2020-01-01 00:00:00", through: "2026-12-31 23:59:59")
        XCTAssertEqual(now.offsets, [25_200])
        // Changes that are no DST switch count too: +07:30 until 1964, then +07:00.
        let history = try UTCOffsetSegments(timeZone: jakarta, from: "1960-01-01 00:00:00", through: "1970-01-01 00:00:00")
        XCTAssertEqual(history.offsets, [27_000, 25_200])
        XCTAssertEqual(history.changes.first?.start, "1963-12-31 16:30:00")
    }

    func testAMalformedOrAbsurdSpanIsAnErrorNotAGuess() throws {
        let berlin = try OrderStatsFixture.timeZone("Europe/Berlin")
        XCTAssertThrowsError(try UTCOffsetSegments(timeZone: berlin, from: "2025-01-01", through: "2025-12-31 23:59:59"))
        XCTAssertThrowsError(try UTCOffsetSegments(timeZone: berlin, from: "2025-13-01 00:00:00", through: "2025-12-31 23:59:59"))
        XCTAssertThrowsError(try UTCOffsetSegments(timeZone: berlin, from: "0001-01-01 00:00:00", through: "9999-12-31 23:59:59"))
    }

    /// A zone west of UTC carries backwards: New York's evening is the next UTC day.
    func testAZoneWestOfUTC() throws {
        let store = try SQLiteStoreDatabase(url: FileManager.default.temporaryDirectory.appendingPathComponent("orderstats-\(UUID().uuidString).db"))
        defer { try? FileManager.default.removeItem(atPath: store.location) }
        let orders = ["2025-03-09 04:59:59", "2025-03-09 05:00:00", "2025-03-09 06:59:59", "2025-03-09 07:00:00", "2025-03-10 03:59:59",
                      "2025-03-10 04:00:00"].enumerated().map {
            OrderStatsFixture.Order(key: "k\($0.offset)", state: "verified", sessionID: 1, configID: 1, orderDate: $0.element,
                                    lastCheckedAt: nil, matchedOrderID: 1)
        }
        try store.write {
            for statement in StoreSchema.statements(postgres: false) { try store.execute(statement, []) }
            try OrderStatsFixture.insert(orders, into: store)
        }
        let stats = try OrderStats.compute(store, timeZone: try OrderStatsFixture.timeZone("America/New_York"))
        // -05:00 until 07:00 UTC on 9 March, then -04:00.
        XCTAssertEqual(stats.perDay, [.init(day: "2025-03-08", orders: 1, missing: 0), .init(day: "2025-03-09", orders: 4, missing: 0),
                                      .init(day: "2025-03-10", orders: 1, missing: 0)])
    }

    /// Beirut fell back from 00:00 to 23:00 on 30 October 2022: the repeated hour is on the 29th
    /// again, so the 29th has UTC ranges on both sides of the 30th's start.
    func testASwitchBackAcrossMidnight() throws {
        let beirut = try OrderStatsFixture.timeZone("Asia/Beirut")
        let segments = try UTCOffsetSegments(timeZone: beirut, from: "2022-10-29 20:30:00", through: "2022-10-29 22:00:00")
        XCTAssertEqual(segments.offsets, [10_800, 7_200])
        XCTAssertEqual(segments.dayRanges(), [
            .init(day: "2022-10-29", low: "2022-10-29 20:30:00", high: "2022-10-29 21:00:00"),
            .init(day: "2022-10-29", low: "2022-10-29 21:00:00", high: "2022-10-29 22:00:00"),
            .init(day: "2022-10-30", low: "2022-10-29 22:00:00", high: "2022-10-29 22:00:01"),
        ])
    }
}
