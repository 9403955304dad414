import CadangCore
import Foundation
import XCTest

/// `1y2m3d4h` spans: restic's grammar (with `m` = months) and Go's `AddDate` calendar arithmetic.
final class RetentionSpanTests: XCTestCase {
    typealias F = RetentionFixture

    func testParse() throws {
        XCTAssertEqual(try RetentionSpan.parse("1y2m3d4h"), RetentionSpan(years: 1, months: 2, days: 3, hours: 4))
        XCTAssertEqual(try RetentionSpan.parse("4h3d2m1y"), RetentionSpan(years: 1, months: 2, days: 3, hours: 4))
        XCTAssertEqual(try RetentionSpan.parse(" 7d "), RetentionSpan(days: 7))
        XCTAssertEqual(try RetentionSpan.parse("1m"), RetentionSpan(months: 1), "m means months, not minutes")
        XCTAssertEqual(try RetentionSpan.parse("36h"), RetentionSpan(hours: 36))
        XCTAssertEqual(try RetentionSpan.parse("1000000y"), RetentionSpan(years: 1_000_000))
        XCTAssertTrue(try RetentionSpan.parse("0d").isZero)
        XCTAssertTrue(RetentionSpan().isZero)
        XCTAssertFalse(RetentionSpan(hours: 1).isZero)
    }

    func testParseRefusesWhatResticRefusesAndMore() {
        for text in ["", "  ", "1x", "5", "d", "1d1d", "1.5d", "1M", "1Y", "1 d", "1000001y", "99999999999999999999y",
                     "1y-2m", "-1d", "٣d", "1s", "1min"] {
            assertCadangError(.usage, text.debugDescription) { try RetentionSpan.parse(text) }
        }
        let week = assertCadangError(.usage) { try RetentionSpan.parse("2w") }
        XCTAssertTrue(week?.message.contains("14d") == true, week?.description ?? "")
        let negative = assertCadangError(.usage) { try RetentionSpan.parse("-1d") }
        XCTAssertTrue(negative?.message.contains("negative") == true, negative?.description ?? "")
        let twice = assertCadangError(.usage) { try RetentionSpan.parse("1d2d") }
        XCTAssertTrue(twice?.message.contains("twice") == true, twice?.description ?? "")
        XCTAssertTrue(twice?.fix?.contains("m means months") == true)
    }

    func testDescriptionIsRestics() throws {
        XCTAssertEqual(RetentionSpan(years: 1, months: 2, days: 3, hours: 4).description, "1y2m3d4h")
        XCTAssertEqual(try RetentionSpan.parse("1y1d1m").description, "1y1m1d")
        XCTAssertEqual(try RetentionSpan.parse("2h2m").description, "2m2h")
        XCTAssertEqual(RetentionSpan(days: 13, hours: 23).description, "13d23h")
        XCTAssertEqual(RetentionSpan().description, "0h")
    }

    func start(_ span: String, from reference: String, in zone: TimeZone = F.utc) throws -> String {
        Timestamp.rfc3339(try RetentionSpan.parse(span).start(from: F.date(reference, in: zone), in: zone), timeZone: zone)
    }

    /// Month and day overflow roll forward as Go's `time.Date` does; `Calendar` would clamp instead.
    func testMonthEndsRollOver() throws {
        XCTAssertEqual(try start("1m", from: "2021-03-31 12:00:00"), "2021-03-03T12:00:00Z")
        XCTAssertEqual(try start("1m", from: "2024-03-31 12:00:00"), "2024-03-02T12:00:00Z")
        XCTAssertEqual(try start("1m", from: "2021-05-31 12:00:00"), "2021-05-01T12:00:00Z")
        XCTAssertEqual(try start("1m", from: "2021-01-31 08:00:00"), "2020-12-31T08:00:00Z")
        XCTAssertEqual(try start("13m", from: "2021-01-15 00:00:00"), "2019-12-15T00:00:00Z")
        XCTAssertEqual(try start("1m1d", from: "2021-03-31 00:00:00"), "2021-03-02T00:00:00Z")
        XCTAssertEqual(try start("1d", from: "2021-03-01 00:00:00"), "2021-02-28T00:00:00Z")
        XCTAssertEqual(try start("1d", from: "2024-03-01 00:00:00"), "2024-02-29T00:00:00Z")
        XCTAssertEqual(try start("400d", from: "2024-03-01 00:00:00"), "2023-01-26T00:00:00Z")
    }

    func testLeapYears() throws {
        XCTAssertEqual(try start("1y", from: "2020-02-29 12:00:00"), "2019-03-01T12:00:00Z")
        XCTAssertEqual(try start("4y", from: "2024-02-29 12:00:00"), "2020-02-29T12:00:00Z")
        XCTAssertEqual(try start("100y", from: "2000-02-29 00:00:00"), "1900-03-01T00:00:00Z")
        XCTAssertEqual(try start("12m", from: "2020-02-29 00:00:00"), "2019-03-01T00:00:00Z")
    }

    /// Hours are exact and come after the calendar steps.
    func testHoursAfterCalendarSteps() throws {
        XCTAssertEqual(try start("1d2h", from: "2021-03-01 00:00:00"), "2021-02-27T22:00:00Z")
        XCTAssertEqual(try start("1m3h", from: "2021-03-31 01:00:00"), "2021-03-02T22:00:00Z")
        XCTAssertEqual(try start("24h", from: "2019-03-31 12:00:00", in: F.berlin), "2019-03-30T11:00:00+01:00")
    }

    /// Calendar days follow Berlin's clock: 23 hours across the spring change, 25 across the autumn one.
    func testDaylightSavingTime() throws {
        XCTAssertEqual(try start("1d", from: "2019-03-31 12:00:00", in: F.berlin), "2019-03-30T12:00:00+01:00")
        XCTAssertEqual(try start("1d", from: "2019-10-27 12:00:00", in: F.berlin), "2019-10-26T12:00:00+02:00")
        let spring = F.date("2019-03-31 12:00:00", in: F.berlin)
        XCTAssertEqual(spring.timeIntervalSince(RetentionSpan(days: 1).start(from: spring, in: F.berlin)), 23 * 3_600)
        let autumn = F.date("2019-10-27 12:00:00", in: F.berlin)
        XCTAssertEqual(autumn.timeIntervalSince(RetentionSpan(days: 1).start(from: autumn, in: F.berlin)), 25 * 3_600)
        // A wall time the spring change skips (02:30 on 2019-03-31) reads with the winter offset: 03:30 CEST.
        let gap = RetentionSpan(days: 1).start(from: F.date("2019-04-01T00:30:00Z"), in: F.berlin)
        XCTAssertEqual(gap, F.date("2019-03-31T01:30:00Z"))
        // A wall time the autumn change repeats (02:30 on 2019-10-27) is the later one, 02:30 CET.
        let repeated = RetentionSpan(days: 1).start(from: F.date("2019-10-28T01:30:00Z"), in: F.berlin)
        XCTAssertEqual(repeated, F.date("2019-10-27T01:30:00Z"))
    }

    /// Jakarta (UTC+7, no daylight saving time) measures days on its own clock, 24 hours each.
    func testJakarta() throws {
        XCTAssertEqual(try start("1d", from: "2021-06-02 00:00:00", in: F.jakarta), "2021-06-01T00:00:00+07:00")
        XCTAssertEqual(try start("1m", from: "2021-03-31 06:00:00", in: F.jakarta), "2021-03-03T06:00:00+07:00")
        let reference = F.date("2021-06-02 00:00:00", in: F.jakarta)
        XCTAssertEqual(reference.timeIntervalSince(RetentionSpan(days: 1).start(from: reference, in: F.jakarta)), 86_400)
    }

    /// Fractions of a second survive, and the calendar is proleptic Gregorian like Go's (Foundation's
    /// Gregorian calendar would jump ten days at October 1582).
    func testExactInstantsAndOldDates() throws {
        let reference = F.date("2016-01-18 12:02:03.25")
        XCTAssertEqual(RetentionSpan(days: 1).start(from: reference, in: F.utc), F.date("2016-01-17 12:02:03.25"))
        let reform = F.date("1582-10-15T00:00:00Z")
        XCTAssertEqual(reform.timeIntervalSince(RetentionSpan(days: 1).start(from: reform, in: F.utc)), 86_400)
        XCTAssertEqual(reform.timeIntervalSince(RetentionSpan(years: 1).start(from: reform, in: F.utc)), 365 * 86_400)
    }

    /// Huge spans stay finite and earlier, without trapping.
    func testHugeSpans() throws {
        let reference = F.date("2016-01-18 12:02:03")
        let far = try RetentionSpan.parse("9999y").start(from: reference, in: F.utc)
        XCTAssertEqual(far.timeIntervalSince(reference) / (365.2425 * 86_400), -9_999, accuracy: 0.01)
        let extreme = RetentionSpan(years: .max, months: .max, days: .max, hours: .max).start(from: reference, in: F.berlin)
        XCTAssertLessThan(extreme, far)
    }
}
