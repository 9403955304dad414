import CadangCore
import Foundation
import XCTest

/// Times, zones and plan rendering shared by the Retention*Tests.
enum RetentionFixture {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let jakarta = TimeZone(identifier: "Asia/Jakarta")!
    /// Later than every set in these tests, so none is in the future unless a test says so.
    static let now = date("2030-01-01 00:00:00")

    /// `YYYY-MM-DD HH:MM:SS[.f]` on a clock in `zone`.
    static func date(_ text: String, in zone: TimeZone = utc) -> Date {
        guard let date = Timestamp.parse(text, timeZone: zone) else { fatalError("bad test time \(text)") }
        return date
    }

    /// Sets named by their position, at `texts` on a clock in `zone`.
    static func sets(_ texts: [String], in zone: TimeZone = utc) -> [(id: String, time: Date)] {
        texts.enumerated().map { (id: "s\($0.offset)", time: date($0.element, in: zone)) }
    }

    /// `<RFC 3339 time in zone> <reasons>` per kept set.
    static func lines(_ kept: [RetentionPlan.Kept], in zone: TimeZone = utc) -> [String] {
        kept.map { "\(Timestamp.rfc3339($0.time, timeZone: zone)) \($0.reasons.joined(separator: ", "))" }
    }

    /// Plans `texts` (UTC unless `zone` is given) and renders the kept sets with times as written.
    static func keep(_ texts: [String], _ rules: RetentionRules, in zone: TimeZone = utc,
                     now: Date = now) -> [String] {
        let plan = RetentionPlanner.plan(sets(texts, in: zone), rules: rules, timeZone: zone, now: now)
        return plan.keep.map { kept in
            "\(Timestamp.localDateTime(kept.time, timeZone: zone)) \(kept.reasons.joined(separator: ", "))"
        }
    }
}

/// Every rule alone and together, counts and `-1`, the oldest rule, time zones, ties, the future,
/// refusal and speed.
final class RetentionTests: XCTestCase {
    typealias F = RetentionFixture

    /// Three days with several sets each, given oldest first (the planner sorts).
    let days = ["2024-03-01 09:00:00", "2024-03-01 18:00:00", "2024-03-02 08:00:00", "2024-03-02 08:30:00",
                "2024-03-02 20:00:00", "2024-03-03 07:00:00", "2024-03-03 07:45:00", "2024-03-03 23:59:59"]

    func testKeepLastKeepsTheNewest() {
        XCTAssertEqual(F.keep(days, RetentionRules(keepLast: 3)), [
            "2024-03-03 23:59:59 last snapshot", "2024-03-03 07:45:00 last snapshot", "2024-03-03 07:00:00 last snapshot",
        ])
    }

    /// Every set is its own `keep_last` bucket, so the oldest is never "oldest last snapshot".
    func testKeepLastBeyondTheSetsKeepsAllPlainly() {
        let kept = F.keep(days, RetentionRules(keepLast: 20))
        XCTAssertEqual(kept.count, days.count)
        XCTAssertEqual(kept.last, "2024-03-01 09:00:00 last snapshot")
        XCTAssertEqual(F.keep(days, RetentionRules(keepLast: -1)), kept)
    }

    func testKeepHourly() {
        let sets = ["2024-03-01 10:05:00", "2024-03-01 10:45:00", "2024-03-01 11:10:00", "2024-03-01 12:00:00",
                    "2024-03-01 12:59:59", "2024-02-01 00:00:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepHourly: 2)), [
            "2024-03-01 12:59:59 hourly snapshot", "2024-03-01 11:10:00 hourly snapshot",
        ])
        XCTAssertEqual(F.keep(sets, RetentionRules(keepHourly: 4)), [
            "2024-03-01 12:59:59 hourly snapshot", "2024-03-01 11:10:00 hourly snapshot",
            "2024-03-01 10:45:00 hourly snapshot", "2024-02-01 00:00:00 hourly snapshot",
        ])
    }

    func testKeepDaily() {
        XCTAssertEqual(F.keep(days, RetentionRules(keepDaily: 2)), [
            "2024-03-03 23:59:59 daily snapshot", "2024-03-02 20:00:00 daily snapshot",
        ])
    }

    /// ISO weeks run Monday to Sunday: 2024-03-03 is a Sunday, 2024-03-04 a Monday.
    func testKeepWeekly() {
        let sets = ["2024-02-25 12:00:00", "2024-02-26 12:00:00", "2024-03-01 12:00:00", "2024-03-03 23:00:00",
                    "2024-03-04 00:00:00", "2024-03-05 00:00:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepWeekly: 2)), [
            "2024-03-05 00:00:00 weekly snapshot", "2024-03-03 23:00:00 weekly snapshot",
        ])
    }

    func testKeepMonthly() {
        let sets = ["2023-12-31 23:00:00", "2024-01-01 00:00:00", "2024-01-31 12:00:00", "2024-02-29 12:00:00",
                    "2024-02-01 12:00:00", "2024-03-01 00:00:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepMonthly: 3)), [
            "2024-03-01 00:00:00 monthly snapshot", "2024-02-29 12:00:00 monthly snapshot",
            "2024-01-31 12:00:00 monthly snapshot",
        ])
    }

    func testKeepYearly() {
        let sets = ["2021-06-01 00:00:00", "2022-01-01 00:00:00", "2022-12-31 23:59:59", "2024-01-01 00:00:00",
                    "2024-02-29 00:00:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepYearly: 2)), [
            "2024-02-29 00:00:00 yearly snapshot", "2022-12-31 23:59:59 yearly snapshot",
        ])
    }

    /// restic's "oldest" rule: a bucket rule that reaches the oldest set with count left keeps it
    /// even though its bucket already has a kept set.
    func testOldestRule() {
        XCTAssertEqual(F.keep(days, RetentionRules(keepDaily: 5)), [
            "2024-03-03 23:59:59 daily snapshot", "2024-03-02 20:00:00 daily snapshot",
            "2024-03-01 18:00:00 daily snapshot", "2024-03-01 09:00:00 oldest daily snapshot",
        ])
        // With exactly one count per day nothing is left for the oldest.
        XCTAssertEqual(F.keep(days, RetentionRules(keepDaily: 3)).last, "2024-03-01 18:00:00 daily snapshot")
        // Unlimited always has count left.
        XCTAssertEqual(F.keep(days, RetentionRules(keepDaily: -1)).last, "2024-03-01 09:00:00 oldest daily snapshot")
        // The oldest alone in its bucket is simply kept, without "oldest".
        XCTAssertEqual(F.keep(["2024-03-01 09:00:00", "2024-03-02 09:00:00"], RetentionRules(keepDaily: 5)), [
            "2024-03-02 09:00:00 daily snapshot", "2024-03-01 09:00:00 daily snapshot",
        ])
        // Only rules with count left mark it; each is named.
        XCTAssertEqual(F.keep(days, RetentionRules(keepLast: 1, keepDaily: 9, keepMonthly: 1, keepYearly: -1)), [
            "2024-03-03 23:59:59 last snapshot, daily snapshot, monthly snapshot, yearly snapshot",
            "2024-03-02 20:00:00 daily snapshot", "2024-03-01 18:00:00 daily snapshot",
            "2024-03-01 09:00:00 oldest daily snapshot, oldest yearly snapshot",
        ])
    }

    /// A single set is kept by any rule, plainly.
    func testOneSet() {
        XCTAssertEqual(F.keep(["2024-03-01 09:00:00"], RetentionRules(keepWeekly: 1, keepWithin: RetentionSpan(days: 1))),
                       ["2024-03-01 09:00:00 within 1d, weekly snapshot"])
    }

    func testUnlimitedKeepsOnePerBucket() {
        // 07:00 and 07:45 on the 3rd share an hour, as do 08:00 and 08:30 on the 2nd.
        XCTAssertEqual(F.keep(days, RetentionRules(keepHourly: -1)).count, days.count - 2)
        XCTAssertEqual(F.keep(days, RetentionRules(keepMonthly: -1)), [
            "2024-03-03 23:59:59 monthly snapshot", "2024-03-01 09:00:00 oldest monthly snapshot",
        ])
    }

    /// Rules are ORed; a set lists every rule that keeps it, in restic's order.
    func testCombinationListsEveryReason() {
        XCTAssertEqual(F.keep(days, RetentionRules(keepLast: 2, keepDaily: 2, keepWeekly: 1, keepWithin: RetentionSpan(hours: 17))), [
            "2024-03-03 23:59:59 within 17h, last snapshot, daily snapshot, weekly snapshot",
            "2024-03-03 07:45:00 within 17h, last snapshot",
            "2024-03-03 07:00:00 within 17h",
            "2024-03-02 20:00:00 daily snapshot",
        ])
    }

    /// 2020-12-31 (Thursday) and 2021-01-03 (Sunday) are both in ISO week 53 of 2020; 2019-12-30
    /// (Monday) is week 1 of 2020 and 2019-12-29 (Sunday) week 52 of 2019.
    func testISOWeeksAcrossYearBoundaries() {
        let sets = ["2019-12-29 12:00:00", "2019-12-30 12:00:00", "2020-12-31 12:00:00", "2021-01-03 12:00:00",
                    "2021-01-04 12:00:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepWeekly: -1)), [
            "2021-01-04 12:00:00 weekly snapshot", "2021-01-03 12:00:00 weekly snapshot",
            "2019-12-30 12:00:00 weekly snapshot", "2019-12-29 12:00:00 weekly snapshot",
        ])
        // By year instead, 2020-12-31 and 2021-01-03 are in different buckets.
        XCTAssertEqual(F.keep(sets, RetentionRules(keepYearly: -1)), [
            "2021-01-04 12:00:00 yearly snapshot", "2020-12-31 12:00:00 yearly snapshot",
            "2019-12-30 12:00:00 yearly snapshot", "2019-12-29 12:00:00 oldest yearly snapshot",
        ])
        // 2015 had 53 weeks and 2016-01-03 belongs to its last; 2026-01-01 (Thursday) is week 1 of 2026.
        XCTAssertEqual(F.keep(["2015-12-28 00:00:00", "2016-01-03 23:00:00", "2016-01-04 00:00:00"], RetentionRules(keepWeekly: 5)), [
            "2016-01-04 00:00:00 weekly snapshot", "2016-01-03 23:00:00 weekly snapshot",
            "2015-12-28 00:00:00 oldest weekly snapshot",
        ])
        XCTAssertEqual(F.keep(["2025-12-29 00:00:00", "2026-01-01 00:00:00", "2026-01-04 23:59:59"], RetentionRules(keepWeekly: 1)), [
            "2026-01-04 23:59:59 weekly snapshot",
        ])
    }

    /// Buckets follow the clock in the given zone: 16:59 and 17:00 UTC are different days in Jakarta
    /// (23:59 and 00:00 WIB), the same day in UTC.
    func testBucketsUseTheTimeZone() {
        let sets = [(id: "late", time: F.date("2021-06-01 16:59:00")), (id: "midnight", time: F.date("2021-06-01 17:00:00"))]
        let rules = RetentionRules(keepDaily: 1)
        let jakarta = RetentionPlanner.plan(sets, rules: RetentionRules(keepDaily: -1), timeZone: F.jakarta, now: F.now)
        XCTAssertEqual(jakarta.keep.map(\.id), ["midnight", "late"])
        XCTAssertEqual(jakarta.keep.map(\.reasons), [["daily snapshot"], ["daily snapshot"]])
        let utc = RetentionPlanner.plan(sets, rules: RetentionRules(keepDaily: -1), timeZone: F.utc, now: F.now)
        XCTAssertEqual(utc.keep.map(\.reasons), [["daily snapshot"], ["oldest daily snapshot"]])
        XCTAssertEqual(RetentionPlanner.plan(sets, rules: rules, timeZone: F.utc, now: F.now).remove.map(\.id), ["late"])
    }

    /// When Berlin's clocks go back (2019-10-27 03:00 CEST → 02:00 CET) the hour 02:xx happens twice;
    /// both are one hourly bucket, as restic's `YYYYMMDDHH` key makes them.
    func testRepeatedHourIsOneBucket() {
        let sets = [
            (id: "02:15 CEST", time: F.date("2019-10-27 00:15:00")), (id: "02:15 CET", time: F.date("2019-10-27 01:15:00")),
            (id: "03:15 CET", time: F.date("2019-10-27 02:15:00")), (id: "day before", time: F.date("2019-10-26 12:00:00")),
        ]
        let plan = RetentionPlanner.plan(sets, rules: RetentionRules(keepHourly: -1), timeZone: F.berlin, now: F.now)
        XCTAssertEqual(plan.keep.map(\.id), ["03:15 CET", "02:15 CET", "day before"])
        XCTAssertEqual(plan.remove.map(\.id), ["02:15 CEST"])
        let utc = RetentionPlanner.plan(sets, rules: RetentionRules(keepHourly: -1), timeZone: F.utc, now: F.now)
        XCTAssertEqual(utc.remove, [])
    }

    /// Sets with identical times are distinct; they keep their input order, the first counting as newest.
    func testIdenticalTimesAreDistinctSets() {
        let time = F.date("2024-05-05 05:05:05")
        let sets = [(id: "b", time: time), (id: "a", time: time), (id: "c", time: time),
                    (id: "older", time: F.date("2024-05-04 00:00:00"))]
        let last = RetentionPlanner.plan(sets, rules: RetentionRules(keepLast: 2), timeZone: F.utc, now: F.now)
        XCTAssertEqual(last.keep.map(\.id), ["b", "a"])
        XCTAssertEqual(last.remove.map(\.id), ["c", "older"])
        let daily = RetentionPlanner.plan(sets, rules: RetentionRules(keepDaily: 1), timeZone: F.utc, now: F.now)
        XCTAssertEqual(daily.keep.map(\.id), ["b"])
        let within = RetentionPlanner.plan(sets, rules: RetentionRules(keepWithin: RetentionSpan(hours: 1)), timeZone: F.utc, now: F.now)
        XCTAssertEqual(within.keep.map(\.id), ["b", "a", "c"])
        XCTAssertEqual(within.keep.map(\.reasons), Array(repeating: ["within 1h"], count: 3))
        // Only the oldest set may be an "oldest" keep, even when it shares its time with others.
        let tied = [(id: "x", time: time), (id: "y", time: time)]
        let oldest = RetentionPlanner.plan(tied, rules: RetentionRules(keepDaily: 3), timeZone: F.utc, now: F.now)
        XCTAssertEqual(oldest.keep.map(\.reasons), [["daily snapshot"], ["oldest daily snapshot"]])
    }

    /// `keep_within` measures from the newest set that is not in the future; a future set is kept by
    /// the span (it is after the start) and counts in buckets like any other.
    func testFutureSetIsNotTheReference() {
        let now = F.date("2024-06-10 12:00:00")
        let sets = F.sets(["2024-06-20 00:00:00", "2024-06-10 11:00:00", "2024-06-09 12:00:00", "2024-06-09 10:00:00"])
        let plan = RetentionPlanner.plan(sets, rules: RetentionRules(keepWithin: RetentionSpan(days: 1)), timeZone: F.utc, now: now)
        XCTAssertEqual(plan.keep.map(\.id), ["s0", "s1", "s2"])
        XCTAssertEqual(plan.remove.map(\.id), ["s3"])
        // Measured from the future set instead, nothing but it would stay.
        let later = RetentionPlanner.plan(sets, rules: RetentionRules(keepWithin: RetentionSpan(days: 1)), timeZone: F.utc,
                                          now: F.date("2024-07-01 00:00:00"))
        XCTAssertEqual(later.keep.map(\.id), ["s0"])
        let last = RetentionPlanner.plan(sets, rules: RetentionRules(keepLast: 1), timeZone: F.utc, now: now)
        XCTAssertEqual(last.keep.map(\.id), ["s0"])
        // A set exactly at `now` is not "before now" either (restic's `Before(now)`).
        let atNow = RetentionPlanner.plan(sets, rules: RetentionRules(keepWithin: RetentionSpan(hours: 1)), timeZone: F.utc,
                                          now: F.date("2024-06-10 11:00:00"))
        XCTAssertEqual(atNow.keep.map(\.id), ["s0", "s1", "s2"])
    }

    /// With every set in the future there is no reference (restic's zero time): every set is within.
    func testEverySetInTheFutureIsWithin() {
        let sets = F.sets(["2024-01-01 00:00:00", "2025-01-01 00:00:00"])
        let plan = RetentionPlanner.plan(sets, rules: RetentionRules(keepWithinDaily: RetentionSpan(days: 1)), timeZone: F.utc,
                                         now: F.date("2023-01-01 00:00:00"))
        XCTAssertEqual(plan.keep.map(\.reasons), [["daily within 1d"], ["daily within 1d"]])
    }

    /// `keep_within` keeps sets strictly after the newest set minus the span.
    func testWithinBoundaryIsExclusive() {
        let sets = ["2024-03-10 12:00:00", "2024-03-09 12:00:00.5", "2024-03-09 12:00:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepWithin: RetentionSpan(days: 1))), [
            "2024-03-10 12:00:00 within 1d", "2024-03-09 12:00:00 within 1d",
        ])
        let plan = RetentionPlanner.plan(F.sets(sets), rules: RetentionRules(keepWithin: RetentionSpan(days: 1)), timeZone: F.utc, now: F.now)
        XCTAssertEqual(plan.remove.map(\.id), ["s2"])
    }

    /// One month back from 31 March is 3 March (2 March in leap years), not 28 February: Go's
    /// `AddDate` rolls 31 February over.
    func testWithinMonthFromAMonthEnd() {
        let sets = ["2021-03-31 12:00:00", "2021-03-03 12:00:01", "2021-03-03 12:00:00", "2021-03-01 00:00:00", "2021-02-28 13:00:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepWithin: RetentionSpan(months: 1))), [
            "2021-03-31 12:00:00 within 1m", "2021-03-03 12:00:01 within 1m",
        ])
        let leap = ["2024-03-31 12:00:00", "2024-03-02 12:00:01", "2024-03-02 12:00:00", "2024-02-29 12:00:00"]
        XCTAssertEqual(F.keep(leap, RetentionRules(keepWithin: RetentionSpan(months: 1))), [
            "2024-03-31 12:00:00 within 1m", "2024-03-02 12:00:01 within 1m",
        ])
    }

    /// One year back from 29 February is 1 March.
    func testWithinYearFromALeapDay() {
        let sets = ["2020-02-29 12:00:00", "2019-03-01 12:00:01", "2019-03-01 12:00:00", "2019-02-28 23:00:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepWithinDaily: RetentionSpan(years: 1))), [
            "2020-02-29 12:00:00 daily within 1y", "2019-03-01 12:00:01 daily within 1y",
        ])
    }

    /// In Berlin, `1d` back across the spring change (2019-03-31) is 23 hours; `24h` is 24.
    func testWithinDayAcrossDaylightSaving() {
        let berlin = F.berlin
        let sets = ["2019-03-31 12:00:00", "2019-03-30 12:30:00", "2019-03-30 11:30:00"]
        XCTAssertEqual(F.keep(sets, RetentionRules(keepWithin: RetentionSpan(days: 1)), in: berlin), [
            "2019-03-31 12:00:00 within 1d", "2019-03-30 12:30:00 within 1d",
        ])
        XCTAssertEqual(F.keep(sets, RetentionRules(keepWithin: RetentionSpan(hours: 24)), in: berlin), [
            "2019-03-31 12:00:00 within 24h", "2019-03-30 12:30:00 within 24h", "2019-03-30 11:30:00 within 24h",
        ])
        // Jakarta has no daylight saving time: a day is always 24 hours.
        XCTAssertEqual(F.keep(["2019-03-31 12:00:00", "2019-03-30 12:00:01", "2019-03-30 12:00:00"],
                              RetentionRules(keepWithin: RetentionSpan(days: 1)), in: F.jakarta), [
            "2019-03-31 12:00:00 within 1d", "2019-03-30 12:00:01 within 1d",
        ])
    }

    /// `keep_within_*` keep the newest set per bucket inside the span, and the oldest set if it is inside.
    func testWithinBucketRules() {
        XCTAssertEqual(F.keep(days, RetentionRules(keepWithinDaily: RetentionSpan(days: 1))), [
            "2024-03-03 23:59:59 daily within 1d",
        ])
        XCTAssertEqual(F.keep(days, RetentionRules(keepWithinDaily: RetentionSpan(days: 2))), [
            "2024-03-03 23:59:59 daily within 2d", "2024-03-02 20:00:00 daily within 2d",
        ])
        XCTAssertEqual(F.keep(days, RetentionRules(keepWithinDaily: RetentionSpan(days: 7))), [
            "2024-03-03 23:59:59 daily within 7d", "2024-03-02 20:00:00 daily within 7d",
            "2024-03-01 18:00:00 daily within 7d", "2024-03-01 09:00:00 oldest daily within 7d",
        ])
        XCTAssertEqual(F.keep(days, RetentionRules(keepWithinHourly: RetentionSpan(hours: 17))), [
            "2024-03-03 23:59:59 hourly within 17h", "2024-03-03 07:45:00 hourly within 17h",
        ])
        XCTAssertEqual(F.keep(days, RetentionRules(keepWithinWeekly: RetentionSpan(days: 2))), [
            "2024-03-03 23:59:59 weekly within 2d",
        ])
        XCTAssertEqual(F.keep(days, RetentionRules(keepWithinMonthly: RetentionSpan(months: 1),
                                                   keepWithinYearly: RetentionSpan(years: 1))), [
            "2024-03-03 23:59:59 monthly within 1m, yearly within 1y",
            "2024-03-01 09:00:00 oldest monthly within 1m, oldest yearly within 1y",
        ])
    }

    /// An empty policy keeps nothing; the plan says so, and callers refuse it unless told otherwise.
    func testEmptyPolicyIsRefusable() throws {
        let rules = RetentionRules()
        XCTAssertTrue(rules.isEmpty)
        let plan = RetentionPlanner.plan(F.sets(days), rules: rules, timeZone: F.utc, now: F.now)
        XCTAssertTrue(plan.removesEverything)
        XCTAssertEqual(plan.remove.count, days.count)
        let refusal = try XCTUnwrap(plan.refusal(rules: rules, allowRemoveAll: false))
        XCTAssertEqual(refusal.status, .usage)
        XCTAssertTrue(refusal.description.contains("--allow-remove-all"), refusal.description)
        XCTAssertNil(plan.refusal(rules: rules, allowRemoveAll: true))
        // Even with no sets an empty policy is a mistake.
        XCTAssertNotNil(RetentionPlanner.plan([], rules: rules, timeZone: F.utc, now: F.now).refusal(rules: rules, allowRemoveAll: false))
    }

    /// A plan that removes every set is detectable whatever the rules; one that keeps a set passes.
    func testRemovingEverythingIsDetectable() throws {
        let rules = RetentionRules(keepDaily: 1)
        let all = RetentionPlan(keep: [], remove: [RetentionPlan.Removed(id: "a", time: F.now)])
        XCTAssertTrue(all.removesEverything)
        let refusal = try XCTUnwrap(all.refusal(rules: rules, allowRemoveAll: false))
        XCTAssertTrue(refusal.message.contains("remove all 1 sets"), refusal.message)
        XCTAssertNil(all.refusal(rules: rules, allowRemoveAll: true))
        let plan = RetentionPlanner.plan(F.sets(days), rules: rules, timeZone: F.utc, now: F.now)
        XCTAssertFalse(plan.removesEverything)
        XCTAssertNil(plan.refusal(rules: rules, allowRemoveAll: false))
        let none = RetentionPlanner.plan([], rules: rules, timeZone: F.utc, now: F.now)
        XCTAssertEqual(none, RetentionPlan())
        XCTAssertFalse(none.removesEverything)
    }

    /// Both lists are newest first, whatever order the sets came in.
    func testOrderIsNewestFirst() {
        var generator = SeededGenerator(seed: 4)
        let sets = F.sets(days).shuffled(using: &generator)
        let plan = RetentionPlanner.plan(sets, rules: RetentionRules(keepDaily: 2), timeZone: F.utc, now: F.now)
        XCTAssertEqual(plan.keep.map(\.time), plan.keep.map(\.time).sorted(by: >))
        XCTAssertEqual(plan.remove.map(\.time), plan.remove.map(\.time).sorted(by: >))
        XCTAssertEqual(plan.keep.map(\.id), ["s7", "s4"])
    }

    /// Committed sets plan by their ids and manifest times, whose offsets do not matter.
    func testPlansBackupSets() {
        func set(_ id: String, _ time: String) -> BackupSet {
            BackupSet(manifest: Manifest(id: id, job: "kasir", time: time, created: time, tool: "test", sources: [],
                                         artifacts: [], warnings: []),
                      directory: URL(fileURLWithPath: "/nowhere"))
        }
        // 23:30 on the 1st in Jakarta, written in UTC, and 00:30 on the 2nd written in Jakarta time.
        let sets = [set("old", "2024-01-01T16:30:00Z"), set("new", "2024-01-02T00:30:00+07:00")]
        let input = sets.map { (id: $0.id, time: $0.time) }
        let jakarta = RetentionPlanner.plan(input, rules: RetentionRules(keepDaily: -1), timeZone: F.jakarta, now: F.now)
        XCTAssertEqual(jakarta.keep.map(\.id), ["new", "old"])
        XCTAssertEqual(jakarta.keep.map(\.reasons), [["daily snapshot"], ["daily snapshot"]])
        let utc = RetentionPlanner.plan(input, rules: RetentionRules(keepDaily: -1), timeZone: F.utc, now: F.now)
        XCTAssertEqual(utc.keep.map(\.reasons), [["daily snapshot"], ["oldest daily snapshot"]])
    }

    /// Issue 4: planning 10,000 sets must take well under a second; every rule is on here. The time
    /// is printed, not asserted.
    func testTenThousandSets() {
        var generator = SeededGenerator(seed: 10_000)
        let start = F.date("2020-01-01 00:00:00")
        let sets = (0..<10_000).map { index in
            (id: "set-\(index)", time: start.addingTimeInterval(Double(UInt64.random(in: 0..<(5 * 365 * 86_400), using: &generator))))
        }
        let span = RetentionSpan(months: 6)
        let rules = RetentionRules(keepLast: 10, keepHourly: 48, keepDaily: 30, keepWeekly: 12, keepMonthly: 24,
                                   keepYearly: -1, keepWithin: RetentionSpan(days: 2), keepWithinHourly: span,
                                   keepWithinDaily: span, keepWithinWeekly: span, keepWithinMonthly: span, keepWithinYearly: span)
        let clock = ContinuousClock()
        var plan = RetentionPlan()
        let elapsed = clock.measure {
            plan = RetentionPlanner.plan(sets, rules: rules, timeZone: F.berlin, now: F.now)
        }
        print("planned \(sets.count) sets in \(elapsed)")
        XCTAssertEqual(plan.keep.count + plan.remove.count, sets.count)
        XCTAssertGreaterThan(plan.keep.count, 10)
        XCTAssertFalse(plan.keep.contains { $0.reasons.isEmpty })
    }
}
