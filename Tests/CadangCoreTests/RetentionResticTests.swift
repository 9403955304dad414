import CadangCore
import Foundation
import XCTest

/// restic's own expectations, reproduced exactly (kept sets, newest first, with every reason).
///
/// The sets are restic's `testExpireSnapshots` (internal/data/snapshot_policy_test.go at
/// 181f409fc29d1f2707b87041bd6e5773b96b44a5), all UTC, in restic's input order so sets with equal
/// times tie the same way. Each test names the golden file it reproduces: restic/restic
/// internal/data/testdata/policy_keep_snapshots_<n> (or internal/restic/testdata for 35), where n
/// is the policy's index in that test's list.
final class RetentionResticTests: XCTestCase {
    static let times = [
        "2014-09-01 10:20:30", "2014-09-02 10:20:30", "2014-09-05 10:20:30", "2014-09-06 10:20:30",
        "2014-09-08 10:20:30", "2014-09-09 10:20:30", "2014-09-10 10:20:30", "2014-09-11 10:20:30",
        "2014-09-20 10:20:30", "2014-09-22 10:20:30", "2014-08-08 10:20:30", "2014-08-10 10:20:30",
        "2014-08-12 10:20:30", "2014-08-13 10:20:30", "2014-08-13 10:20:30.1", "2014-08-15 10:20:30",
        "2014-08-18 10:20:30", "2014-08-20 10:20:30", "2014-08-21 10:20:30", "2014-08-22 10:20:30",
        "2014-10-01 10:20:30", "2014-10-02 10:20:30", "2014-10-05 10:20:30", "2014-10-06 10:20:30",
        "2014-10-08 10:20:30", "2014-10-09 10:20:30", "2014-10-10 10:20:30", "2014-10-11 10:20:30",
        "2014-10-20 10:20:30", "2014-10-22 10:20:30", "2014-11-08 10:20:30", "2014-11-10 10:20:30",
        "2014-11-12 10:20:30", "2014-11-13 10:20:30", "2014-11-13 10:20:30.1", "2014-11-15 10:20:30",
        "2014-11-18 10:20:30", "2014-11-20 10:20:30", "2014-11-21 10:20:30", "2014-11-22 10:20:30",
        "2015-09-01 10:20:30", "2015-09-02 10:20:30", "2015-09-05 10:20:30", "2015-09-06 10:20:30",
        "2015-09-08 10:20:30", "2015-09-09 10:20:30", "2015-09-10 10:20:30", "2015-09-11 10:20:30",
        "2015-09-20 10:20:30", "2015-09-22 10:20:30", "2015-08-08 10:20:30", "2015-08-10 10:20:30",
        "2015-08-12 10:20:30", "2015-08-13 10:20:30", "2015-08-13 10:20:30.1", "2015-08-15 10:20:30",
        "2015-08-18 10:20:30", "2015-08-20 10:20:30", "2015-08-21 10:20:30", "2015-08-22 10:20:30",
        "2015-10-01 10:20:30", "2015-10-02 10:20:30", "2015-10-05 10:20:30", "2015-10-06 10:20:30",
        "2015-10-08 10:20:30", "2015-10-09 10:20:30", "2015-10-10 10:20:30", "2015-10-11 10:20:30",
        "2015-10-20 10:20:30", "2015-10-22 10:20:30", "2015-10-22 10:20:30", "2015-10-22 10:20:30",
        "2015-10-22 10:20:30", "2015-10-22 10:20:30", "2015-11-08 10:20:30", "2015-11-10 10:20:30",
        "2015-11-12 10:20:30", "2015-11-13 10:20:30", "2015-11-13 10:20:30.1", "2015-11-15 10:20:30",
        "2015-11-18 10:20:30", "2015-11-20 10:20:30", "2015-11-21 10:20:30", "2015-11-22 10:20:30",
        "2016-01-01 01:02:03", "2016-01-01 01:03:03", "2016-01-01 07:08:03", "2016-01-03 07:02:03",
        "2016-01-04 10:23:03", "2016-01-04 11:23:03", "2016-01-04 12:23:03", "2016-01-04 12:24:03",
        "2016-01-04 12:28:03", "2016-01-04 12:30:03", "2016-01-04 16:23:03", "2016-01-05 09:02:03",
        "2016-01-06 08:02:03", "2016-01-07 10:02:03", "2016-01-08 20:02:03", "2016-01-09 21:02:03",
        "2016-01-12 21:02:03", "2016-01-12 21:08:03", "2016-01-18 12:02:03",
    ]

    static let sets: [(id: String, time: Date)] = times.enumerated().map { index, text in
        (id: "restic-\(index)", time: Timestamp.parse(text + "Z")!)
    }

    /// Plans restic's sets in UTC and renders the kept ones as `<time> <reasons>` lines.
    func keep(_ rules: RetentionRules) -> [String] {
        let plan = RetentionPlanner.plan(Self.sets, rules: rules, timeZone: RetentionFixture.utc, now: RetentionFixture.now)
        XCTAssertEqual(plan.keep.count + plan.remove.count, Self.sets.count)
        XCTAssertEqual(Set(plan.keep.map(\.id) + plan.remove.map(\.id)).count, Self.sets.count, "a set is missing or twice")
        return RetentionFixture.lines(plan.keep)
    }

    /// Expected lines: every time with the same reasons.
    func lines(_ times: [String], _ reasons: String) -> [String] { times.map { "\($0) \(reasons)" } }

    /// The kept sets' times of restic's sets after `start`, newest first.
    func timesAfter(_ start: String) -> [String] {
        let start = Timestamp.parse(start)!
        return Self.sets.filter { $0.time > start }.sorted { $0.time > $1.time }
            .map { Timestamp.rfc3339($0.time, timeZone: RetentionFixture.utc) }
    }

    func testFixtureIsResticsList() {
        XCTAssertEqual(Self.sets.count, 103)
        XCTAssertEqual(Timestamp.rfc3339(Self.sets[14].time, timeZone: RetentionFixture.utc), "2014-08-13T10:20:30.1Z")
    }

    /// policy_keep_snapshots_0: the empty policy keeps nothing (callers refuse it; see RetentionTests).
    func testEmptyPolicyKeepsNothing() {
        XCTAssertEqual(keep(RetentionRules()), [])
    }

    /// policy_keep_snapshots_5: {Hourly: 20}; 2016-01-04 12:23…12:30 is one hour, 2015-11-13 keeps .1.
    func testHourly20() {
        XCTAssertEqual(keep(RetentionRules(keepHourly: 20)), lines([
            "2016-01-18T12:02:03Z", "2016-01-12T21:08:03Z", "2016-01-09T21:02:03Z",
            "2016-01-08T20:02:03Z", "2016-01-07T10:02:03Z", "2016-01-06T08:02:03Z",
            "2016-01-05T09:02:03Z", "2016-01-04T16:23:03Z", "2016-01-04T12:30:03Z",
            "2016-01-04T11:23:03Z", "2016-01-04T10:23:03Z", "2016-01-03T07:02:03Z",
            "2016-01-01T07:08:03Z", "2016-01-01T01:03:03Z", "2015-11-22T10:20:30Z",
            "2015-11-21T10:20:30Z", "2015-11-20T10:20:30Z", "2015-11-18T10:20:30Z",
            "2015-11-15T10:20:30Z", "2015-11-13T10:20:30.1Z",
        ], "hourly snapshot"))
    }

    /// policy_keep_snapshots_8: {Daily: 30}.
    func testDaily30() {
        XCTAssertEqual(keep(RetentionRules(keepDaily: 30)), lines([
            "2016-01-18T12:02:03Z", "2016-01-12T21:08:03Z", "2016-01-09T21:02:03Z",
            "2016-01-08T20:02:03Z", "2016-01-07T10:02:03Z", "2016-01-06T08:02:03Z",
            "2016-01-05T09:02:03Z", "2016-01-04T16:23:03Z", "2016-01-03T07:02:03Z",
            "2016-01-01T07:08:03Z", "2015-11-22T10:20:30Z", "2015-11-21T10:20:30Z",
            "2015-11-20T10:20:30Z", "2015-11-18T10:20:30Z", "2015-11-15T10:20:30Z",
            "2015-11-13T10:20:30.1Z", "2015-11-12T10:20:30Z", "2015-11-10T10:20:30Z",
            "2015-11-08T10:20:30Z", "2015-10-22T10:20:30Z", "2015-10-20T10:20:30Z",
            "2015-10-11T10:20:30Z", "2015-10-10T10:20:30Z", "2015-10-09T10:20:30Z",
            "2015-10-08T10:20:30Z", "2015-10-06T10:20:30Z", "2015-10-05T10:20:30Z",
            "2015-10-02T10:20:30Z", "2015-10-01T10:20:30Z", "2015-09-22T10:20:30Z",
        ], "daily snapshot"))
    }

    /// policy_keep_snapshots_14: {Monthly: 6}; of the five sets at 2015-10-22 10:20:30 the first listed stays.
    func testMonthly6() {
        XCTAssertEqual(keep(RetentionRules(keepMonthly: 6)), lines([
            "2016-01-18T12:02:03Z", "2015-11-22T10:20:30Z", "2015-10-22T10:20:30Z", "2015-09-22T10:20:30Z",
            "2015-08-22T10:20:30Z", "2014-11-22T10:20:30Z",
        ], "monthly snapshot"))
        let plan = RetentionPlanner.plan(Self.sets, rules: RetentionRules(keepMonthly: 6), timeZone: RetentionFixture.utc,
                                         now: RetentionFixture.now)
        XCTAssertEqual(plan.keep[2].id, "restic-69")
        XCTAssertEqual(Self.sets[69].time, Self.sets[73].time)
    }

    /// policy_keep_snapshots_15: {Daily: 2, Weekly: 2, Monthly: 6}.
    func testDaily2Weekly2Monthly6() {
        XCTAssertEqual(keep(RetentionRules(keepDaily: 2, keepWeekly: 2, keepMonthly: 6)), [
            "2016-01-18T12:02:03Z daily snapshot, weekly snapshot, monthly snapshot",
            "2016-01-12T21:08:03Z daily snapshot, weekly snapshot",
            "2015-11-22T10:20:30Z monthly snapshot",
            "2015-10-22T10:20:30Z monthly snapshot",
            "2015-09-22T10:20:30Z monthly snapshot",
            "2015-08-22T10:20:30Z monthly snapshot",
            "2014-11-22T10:20:30Z monthly snapshot",
        ])
    }

    /// policy_keep_snapshots_16: {Yearly: 10}; three years of sets leave counts, so the oldest stays.
    func testYearly10KeepsTheOldest() {
        XCTAssertEqual(keep(RetentionRules(keepYearly: 10)), [
            "2016-01-18T12:02:03Z yearly snapshot",
            "2015-11-22T10:20:30Z yearly snapshot",
            "2014-11-22T10:20:30Z yearly snapshot",
            "2014-08-08T10:20:30Z oldest yearly snapshot",
        ])
    }

    /// policy_keep_snapshots_39: {Daily: 3, Weekly: 2, Monthly: -1, Yearly: -1}.
    func testUnlimitedMonthlyAndYearly() {
        XCTAssertEqual(keep(RetentionRules(keepDaily: 3, keepWeekly: 2, keepMonthly: -1, keepYearly: -1)), [
            "2016-01-18T12:02:03Z daily snapshot, weekly snapshot, monthly snapshot, yearly snapshot",
            "2016-01-12T21:08:03Z daily snapshot, weekly snapshot",
            "2016-01-09T21:02:03Z daily snapshot",
            "2015-11-22T10:20:30Z monthly snapshot, yearly snapshot",
            "2015-10-22T10:20:30Z monthly snapshot",
            "2015-09-22T10:20:30Z monthly snapshot",
            "2015-08-22T10:20:30Z monthly snapshot",
            "2014-11-22T10:20:30Z monthly snapshot, yearly snapshot",
            "2014-10-22T10:20:30Z monthly snapshot",
            "2014-09-22T10:20:30Z monthly snapshot",
            "2014-08-22T10:20:30Z monthly snapshot",
            "2014-08-08T10:20:30Z oldest monthly snapshot, oldest yearly snapshot",
        ])
    }

    /// policy_keep_snapshots_24: {Within: 1m}; back from 2016-01-18 12:02:03 to 2015-12-18 12:02:03.
    func testWithin1m() {
        XCTAssertEqual(keep(RetentionRules(keepWithin: RetentionSpan(months: 1))), lines([
            "2016-01-18T12:02:03Z", "2016-01-12T21:08:03Z", "2016-01-12T21:02:03Z",
            "2016-01-09T21:02:03Z", "2016-01-08T20:02:03Z", "2016-01-07T10:02:03Z",
            "2016-01-06T08:02:03Z", "2016-01-05T09:02:03Z", "2016-01-04T16:23:03Z",
            "2016-01-04T12:30:03Z", "2016-01-04T12:28:03Z", "2016-01-04T12:24:03Z",
            "2016-01-04T12:23:03Z", "2016-01-04T11:23:03Z", "2016-01-04T10:23:03Z",
            "2016-01-03T07:02:03Z", "2016-01-01T07:08:03Z", "2016-01-01T01:03:03Z",
            "2016-01-01T01:02:03Z",
        ], "within 1m"))
    }

    /// policy_keep_snapshots_26: {Within: 1y1d1m}, spelled back as `1y1m1d`: after 2014-12-17 12:02:03.
    func testWithin1y1d1m() throws {
        let kept = keep(RetentionRules(keepWithin: try RetentionSpan.parse("1y1d1m")))
        XCTAssertEqual(kept, lines(timesAfter("2014-12-17T12:02:03Z"), "within 1y1m1d"))
        XCTAssertEqual(kept.count, 63)
        XCTAssertEqual(kept.last, "2015-08-08T10:20:30Z within 1y1m1d")
    }

    /// policy_keep_snapshots_27: {Within: 13d23h}; calendar days, then hours: after 2016-01-04 13:02:03.
    func testWithin13d23h() throws {
        XCTAssertEqual(keep(RetentionRules(keepWithin: try RetentionSpan.parse("13d23h"))), lines([
            "2016-01-18T12:02:03Z", "2016-01-12T21:08:03Z", "2016-01-12T21:02:03Z", "2016-01-09T21:02:03Z",
            "2016-01-08T20:02:03Z", "2016-01-07T10:02:03Z", "2016-01-06T08:02:03Z", "2016-01-05T09:02:03Z",
            "2016-01-04T16:23:03Z",
        ], "within 13d23h"))
    }

    /// policy_keep_snapshots_29: {Within: 1y2m3d3h}: after 2014-11-15 09:02:03, every equal-time set too.
    func testWithin1y2m3d3h() throws {
        let kept = keep(RetentionRules(keepWithin: try RetentionSpan.parse("1y2m3d3h")))
        XCTAssertEqual(kept, lines(timesAfter("2014-11-15T09:02:03Z"), "within 1y2m3d3h"))
        XCTAssertEqual(kept.count, 68)
        XCTAssertEqual(kept.last, "2014-11-15T10:20:30Z within 1y2m3d3h")
    }

    /// policy_keep_snapshots_30: {WithinHourly: 1y2m3d3h}.
    func testWithinHourly() throws {
        XCTAssertEqual(keep(RetentionRules(keepWithinHourly: try RetentionSpan.parse("1y2m3d3h"))), lines([
            "2016-01-18T12:02:03Z", "2016-01-12T21:08:03Z", "2016-01-09T21:02:03Z",
            "2016-01-08T20:02:03Z", "2016-01-07T10:02:03Z", "2016-01-06T08:02:03Z",
            "2016-01-05T09:02:03Z", "2016-01-04T16:23:03Z", "2016-01-04T12:30:03Z",
            "2016-01-04T11:23:03Z", "2016-01-04T10:23:03Z", "2016-01-03T07:02:03Z",
            "2016-01-01T07:08:03Z", "2016-01-01T01:03:03Z", "2015-11-22T10:20:30Z",
            "2015-11-21T10:20:30Z", "2015-11-20T10:20:30Z", "2015-11-18T10:20:30Z",
            "2015-11-15T10:20:30Z", "2015-11-13T10:20:30.1Z", "2015-11-12T10:20:30Z",
            "2015-11-10T10:20:30Z", "2015-11-08T10:20:30Z", "2015-10-22T10:20:30Z",
            "2015-10-20T10:20:30Z", "2015-10-11T10:20:30Z", "2015-10-10T10:20:30Z",
            "2015-10-09T10:20:30Z", "2015-10-08T10:20:30Z", "2015-10-06T10:20:30Z",
            "2015-10-05T10:20:30Z", "2015-10-02T10:20:30Z", "2015-10-01T10:20:30Z",
            "2015-09-22T10:20:30Z", "2015-09-20T10:20:30Z", "2015-09-11T10:20:30Z",
            "2015-09-10T10:20:30Z", "2015-09-09T10:20:30Z", "2015-09-08T10:20:30Z",
            "2015-09-06T10:20:30Z", "2015-09-05T10:20:30Z", "2015-09-02T10:20:30Z",
            "2015-09-01T10:20:30Z", "2015-08-22T10:20:30Z", "2015-08-21T10:20:30Z",
            "2015-08-20T10:20:30Z", "2015-08-18T10:20:30Z", "2015-08-15T10:20:30Z",
            "2015-08-13T10:20:30.1Z", "2015-08-12T10:20:30Z", "2015-08-10T10:20:30Z",
            "2015-08-08T10:20:30Z", "2014-11-22T10:20:30Z", "2014-11-21T10:20:30Z",
            "2014-11-20T10:20:30Z", "2014-11-18T10:20:30Z", "2014-11-15T10:20:30Z",
        ], "hourly within 1y2m3d3h"))
    }

    /// policy_keep_snapshots_32: {WithinWeekly: 1y2m3d3h}; 2016-01-03 is ISO week 53 of 2015.
    func testWithinWeekly() throws {
        XCTAssertEqual(keep(RetentionRules(keepWithinWeekly: try RetentionSpan.parse("1y2m3d3h"))), lines([
            "2016-01-18T12:02:03Z", "2016-01-12T21:08:03Z", "2016-01-09T21:02:03Z",
            "2016-01-03T07:02:03Z", "2015-11-22T10:20:30Z", "2015-11-15T10:20:30Z",
            "2015-11-08T10:20:30Z", "2015-10-22T10:20:30Z", "2015-10-11T10:20:30Z",
            "2015-10-02T10:20:30Z", "2015-09-22T10:20:30Z", "2015-09-20T10:20:30Z",
            "2015-09-11T10:20:30Z", "2015-09-06T10:20:30Z", "2015-08-22T10:20:30Z",
            "2015-08-15T10:20:30Z", "2015-08-08T10:20:30Z", "2014-11-22T10:20:30Z",
            "2014-11-15T10:20:30Z",
        ], "weekly within 1y2m3d3h"))
    }

    /// policy_keep_snapshots_33: {WithinMonthly: 1y2m3d3h}.
    func testWithinMonthly() throws {
        XCTAssertEqual(keep(RetentionRules(keepWithinMonthly: try RetentionSpan.parse("1y2m3d3h"))), lines([
            "2016-01-18T12:02:03Z", "2015-11-22T10:20:30Z", "2015-10-22T10:20:30Z", "2015-09-22T10:20:30Z",
            "2015-08-22T10:20:30Z", "2014-11-22T10:20:30Z",
        ], "monthly within 1y2m3d3h"))
    }

    /// policy_keep_snapshots_35 (internal/restic/testdata at 7b1a15916d4747051e2625463d1f7094d79908f9):
    /// every span at once; `9999y` reaches the oldest set, which shares 2014 with a kept one.
    func testEverySpanAtOnce() throws {
        let rules = RetentionRules(keepWithin: try .parse("1h"), keepWithinHourly: try .parse("1d"),
                                   keepWithinDaily: try .parse("7d"), keepWithinWeekly: try .parse("1m"),
                                   keepWithinMonthly: try .parse("1y"), keepWithinYearly: try .parse("9999y"))
        XCTAssertEqual(keep(rules), [
            "2016-01-18T12:02:03Z within 1h, hourly within 1d, daily within 7d, weekly within 1m, monthly within 1y, yearly within 9999y",
            "2016-01-12T21:08:03Z daily within 7d, weekly within 1m",
            "2016-01-09T21:02:03Z weekly within 1m",
            "2016-01-03T07:02:03Z weekly within 1m",
            "2015-11-22T10:20:30Z monthly within 1y, yearly within 9999y",
            "2015-10-22T10:20:30Z monthly within 1y",
            "2015-09-22T10:20:30Z monthly within 1y",
            "2015-08-22T10:20:30Z monthly within 1y",
            "2014-11-22T10:20:30Z yearly within 9999y",
            "2014-08-08T10:20:30Z oldest yearly within 9999y",
        ])
    }

    /// doc/060_forget.rst (restic/restic at 01fa008172c0cc8147c8447e407c8488dd2fecd0): one set every
    /// Sunday at 11:00 for 12 weeks; `--keep-daily 4` keeps the last four Sundays. Berlin's clocks
    /// go back on 2019-10-27, one of them, which changes nothing.
    func testDocumentedSundayExample() {
        let ids = ["0a1f9759", "46cfe4d5", "f6b1f037", "eb430a5d", "8cf1cb9a", "5d33b116", "b9553125", "e1a7b58b",
                   "8f8018c0", "59403279", "dfee9fb4", "e1ae2f40"]
        let days = ["09-01", "09-08", "09-15", "09-22", "09-29", "10-06", "10-13", "10-20", "10-27", "11-03", "11-10", "11-17"]
        let sets = zip(ids, days).map { id, day in
            (id: id, time: RetentionFixture.date("2019-\(day) 11:00:00", in: RetentionFixture.berlin))
        }
        let plan = RetentionPlanner.plan(sets, rules: RetentionRules(keepDaily: 4), timeZone: RetentionFixture.berlin,
                                         now: RetentionFixture.now)
        XCTAssertEqual(plan.keep.map(\.id), ["e1ae2f40", "dfee9fb4", "59403279", "8f8018c0"])
        XCTAssertEqual(plan.keep.map(\.reasons), Array(repeating: ["daily snapshot"], count: 4))
        XCTAssertEqual(plan.remove.map(\.id), ["e1a7b58b", "b9553125", "5d33b116", "8cf1cb9a", "eb430a5d", "f6b1f037",
                                               "46cfe4d5", "0a1f9759"])
    }

    /// doc/060_forget.rst: a set every day for 100 years with `--keep-daily 7 --keep-weekly 5
    /// --keep-monthly 12 --keep-yearly 75` keeps 7 dailies, 4 more week-ends (the dailies hold one),
    /// 11 more month-ends and the year-ends; ending on Sunday 2019-11-17, 2018-12-31 is both the 12th
    /// monthly and the 2nd yearly, so 73 more year-ends: 95 sets.
    func testDocumentedHundredYearsOfDailySets() {
        let first = RetentionFixture.date("1920-01-01 12:00:00")
        let last = RetentionFixture.date("2019-11-17 12:00:00")
        let count = Int(last.timeIntervalSince(first) / 86_400) + 1
        let sets = (0..<count).map { day in
            (id: "day-\(day)", time: first.addingTimeInterval(Double(day) * 86_400))
        }
        let rules = RetentionRules(keepDaily: 7, keepWeekly: 5, keepMonthly: 12, keepYearly: 75)
        let plan = RetentionPlanner.plan(sets, rules: rules, timeZone: RetentionFixture.utc, now: RetentionFixture.now)
        let kept = RetentionFixture.lines(plan.keep).map { $0.replacingOccurrences(of: "T12:00:00Z", with: "") }
        XCTAssertEqual(Array(kept.prefix(15)), [
            "2019-11-17 daily snapshot, weekly snapshot, monthly snapshot, yearly snapshot",
            "2019-11-16 daily snapshot", "2019-11-15 daily snapshot", "2019-11-14 daily snapshot",
            "2019-11-13 daily snapshot", "2019-11-12 daily snapshot", "2019-11-11 daily snapshot",
            "2019-11-10 weekly snapshot", "2019-11-03 weekly snapshot", "2019-10-31 monthly snapshot",
            "2019-10-27 weekly snapshot", "2019-10-20 weekly snapshot", "2019-09-30 monthly snapshot",
            "2019-08-31 monthly snapshot", "2019-07-31 monthly snapshot",
        ])
        XCTAssertTrue(kept.contains("2019-02-28 monthly snapshot"))
        XCTAssertTrue(kept.contains("2018-12-31 monthly snapshot, yearly snapshot"))
        XCTAssertEqual(kept.suffix(2), ["1946-12-31 yearly snapshot", "1945-12-31 yearly snapshot"])
        let reasons = plan.keep.flatMap(\.reasons)
        for (reason, expected) in [("daily snapshot", 7), ("weekly snapshot", 5), ("monthly snapshot", 12), ("yearly snapshot", 75)] {
            XCTAssertEqual(reasons.filter { $0 == reason }.count, expected, reason)
        }
        XCTAssertEqual(plan.keep.count, 7 + 4 + 11 + 73)
        XCTAssertEqual(plan.keep.count + plan.remove.count, count)
    }
}
