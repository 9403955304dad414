import CadangCore
import Foundation
import XCTest

final class TimestampTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let jakarta = TimeZone(identifier: "Asia/Jakarta")!
    /// 2026-01-31T16:00:00Z = 2026-01-31T23:00:00+07:00.
    let base = Date(timeIntervalSince1970: 1_769_875_200)

    private func assertParses(_ text: String, _ expected: Date, timeZone: TimeZone = .current,
                              file: StaticString = #filePath, line: UInt = #line) {
        guard let parsed = Timestamp.parse(text, timeZone: timeZone) else {
            return XCTFail("did not parse \(text.debugDescription)", file: file, line: line)
        }
        XCTAssertEqual(parsed.timeIntervalSince1970, expected.timeIntervalSince1970, accuracy: 1e-6,
                       text, file: file, line: line)
    }

    func testParseAcceptsOffsetsZuluFractionsAndSpace() {
        XCTAssertEqual(utcDate(2026, 1, 31, 16), base)
        assertParses("2026-01-31T23:00:00+07:00", base)
        assertParses("2026-01-31T16:00:00Z", base)
        assertParses("2026-01-31T16:00:00z", base)
        assertParses("2026-01-31t16:00:00Z", base)
        assertParses("2026-01-31T16:00:00+00:00", base)
        assertParses("2026-01-31T12:30:00-03:30", base)
        assertParses("2026-01-31T16:00:00-00:00", base)
        assertParses("2026-02-01T01:45:00+09:45", base)
        assertParses("2026-01-31 23:00:00+07:00", base)
        assertParses("2026-01-31 16:00:00Z", base)
        assertParses("2026-01-31T16:00:00.5Z", base.addingTimeInterval(0.5))
        assertParses("2026-01-31T16:00:00.25+00:00", base.addingTimeInterval(0.25))
        assertParses("2026-01-31T16:00:00.123456Z", base.addingTimeInterval(0.123456))
        assertParses("2026-01-31T16:00:00.123456789Z", base.addingTimeInterval(0.123456789))
        assertParses("2026-01-31T23:00:00.000001+07:00", base.addingTimeInterval(0.000001))
        assertParses("2026-01-31T16:00:00.1234567890123456789Z", base.addingTimeInterval(0.123456789))
        assertParses("2026-01-31T16:00:00.0Z", base)
        assertParses("2024-02-29T00:00:00Z", utcDate(2024, 2, 29))
        assertParses("1970-01-01T00:00:00Z", Date(timeIntervalSince1970: 0))
    }

    func testParseWithoutOffsetUsesTheGivenTimeZone() {
        assertParses("2026-01-31T23:00:00", base, timeZone: jakarta)
        assertParses("2026-01-31 23:00:00", base, timeZone: jakarta)
        assertParses("2026-01-31 16:00:00", base, timeZone: utc)
        assertParses("2026-01-31 23:00:00", base.addingTimeInterval(7 * 3600), timeZone: utc)
        assertParses("2026-01-31 23:00:00.75", base.addingTimeInterval(0.75), timeZone: jakarta)
        // An explicit offset wins over the time zone argument.
        assertParses("2026-01-31T16:00:00Z", base, timeZone: jakarta)
        assertParses("2026-01-31T23:00:00+07:00", base, timeZone: utc)
    }

    func testParseRejectsInvalidDatesGarbageAndTrailingJunk() {
        let bad = [
            "2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
            "2026-01-31T24:00:00Z", "2026-01-31T23:60:00Z", "2026-01-31T23:00:61Z",
            "", "garbage", "not a time at all", "2026-01-31", "2026-01-31T23:00", "2026/01/31T23:00:00Z",
            "2026-01-31X23:00:00Z", "2026-1-31T23:00:00Z", "2026-01-31T23:00:0Z", "+026-01-31T23:00:00Z",
            "2026-01-31T23:00:00Zjunk", "2026-01-31T23:00:00Z ", "2026-01-31T23:00:00+07:00x",
            "2026-01-31T23:00:00+07:00:00", "2026-01-31T23:00:00 ", "2026-01-31T23:00:00junk",
            "2026-01-31T23:00:00.", "2026-01-31T23:00:00.Z", "2026-01-31T23:00:00.5.5Z",
            "2026-01-31T23:00:00+0700", "2026-01-31T23:00:00+07", "2026-01-31T23:00:00+07:0",
            "2026-01-31T23:00:00+7:00", "2026-01-31T23:00:00+aa:bb", "2026-01-31T23:00:00UTC",
        ]
        for text in bad {
            XCTAssertNil(Timestamp.parse(text, timeZone: utc), "accepted \(text.debugDescription)")
        }
    }

    private func assertUTC(_ text: String, _ local: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(text == local + "Z" || text == local + "+00:00", "\(text) is not \(local) in UTC", file: file, line: line)
    }

    func testRFC3339FormatsUTCAndJakarta() {
        // UTC is written with "Z" or "+00:00" (both RFC 3339; Linux Foundation names the UTC zone "GMT").
        assertUTC(Timestamp.rfc3339(base, timeZone: utc), "2026-01-31T16:00:00")
        XCTAssertEqual(Timestamp.rfc3339(base, timeZone: jakarta), "2026-01-31T23:00:00+07:00")
        assertUTC(Timestamp.rfc3339(base.addingTimeInterval(0.25), timeZone: utc), "2026-01-31T16:00:00.25")
        XCTAssertEqual(Timestamp.rfc3339(base.addingTimeInterval(0.000_001), timeZone: jakarta), "2026-01-31T23:00:00.000001+07:00")
        assertUTC(Timestamp.rfc3339(base.addingTimeInterval(0.123_456), timeZone: utc), "2026-01-31T16:00:00.123456")
        XCTAssertEqual(Timestamp.rfc3339(base.addingTimeInterval(0.5), timeZone: jakarta), "2026-01-31T23:00:00.5+07:00")
        // Fractions round to the microsecond; rounding up carries into the second.
        assertUTC(Timestamp.rfc3339(base.addingTimeInterval(0.999_999_9), timeZone: utc), "2026-01-31T16:00:01")
        XCTAssertEqual(Timestamp.rfc3339(base.addingTimeInterval(-0.5), timeZone: jakarta), "2026-01-31T22:59:59.5+07:00")
        XCTAssertEqual(Timestamp.rfc3339(utcDate(2026, 12, 31, 16, 59, 59), timeZone: jakarta), "2026-12-31T23:59:59+07:00")
        XCTAssertEqual(Timestamp.rfc3339(utcDate(2026, 12, 31, 17), timeZone: jakarta), "2027-01-01T00:00:00+07:00")
        let newfoundland = TimeZone(identifier: "America/St_Johns")!
        XCTAssertEqual(Timestamp.rfc3339(base, timeZone: newfoundland), "2026-01-31T12:30:00-03:30")
    }

    func testRFC3339RoundTripsThroughParseAtMicrosecondPrecision() {
        var generator = SeededGenerator(seed: 2026)
        let zones = [utc, jakarta, TimeZone(identifier: "America/St_Johns")!, TimeZone(identifier: "Europe/Berlin")!]
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: 0..<4_102_444_800, using: &generator)
            let micros = Int64.random(in: 0..<1_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
            for zone in zones {
                let text = Timestamp.rfc3339(date, timeZone: zone)
                if zone == utc { XCTAssertTrue(text.hasSuffix("Z") || text.hasSuffix("+00:00"), text) }
                if zone == jakarta { XCTAssertTrue(text.hasSuffix("+07:00"), text) }
                guard let parsed = Timestamp.parse(text, timeZone: utc) else {
                    XCTFail("rfc3339 output does not parse: \(text)")
                    continue
                }
                XCTAssertEqual(parsed.timeIntervalSince1970, date.timeIntervalSince1970, accuracy: 1e-6, text)
                XCTAssertEqual(Timestamp.rfc3339(parsed, timeZone: zone), text)
            }
        }
    }

    func testLocalDateTime() {
        XCTAssertEqual(Timestamp.localDateTime(base, timeZone: jakarta), "2026-01-31 23:00:00")
        XCTAssertEqual(Timestamp.localDateTime(base, timeZone: utc), "2026-01-31 16:00:00")
        XCTAssertEqual(Timestamp.localDateTime(base.addingTimeInterval(0.75), timeZone: utc), "2026-01-31 16:00:00")
        XCTAssertEqual(Timestamp.localDateTime(utcDate(2026, 12, 31, 17, 5, 9), timeZone: jakarta), "2027-01-01 00:05:09")
        // localDateTime output parses back as local time in the same zone.
        let text = Timestamp.localDateTime(base, timeZone: jakarta)
        XCTAssertEqual(Timestamp.parse(text, timeZone: jakarta), base)
    }
}

final class TimestampOffsetRangeTests: TemporaryFolderTestCase {
    /// An offset hour above 18 makes `TimeZone(secondsFromGMT:)` return nil, which `parse`
    /// force-unwraps: the process traps. Run in a child process (see `CrashProbe`).
    func testParseOfAnOffsetBeyondEighteenHoursDoesNotCrash() throws {
        CrashProbe.assertPassed(try CrashProbe.run("timestamp-offset", in: root), "Timestamp.parse(\"…+99:00\")")
    }

    /// Listing sets parses every manifest's time: one manifest with a bad offset must not crash
    /// `sets()` (the folder is simply no set).
    func testManifestWithAnOffsetBeyondEighteenHoursIsNotListedAndDoesNotCrash() throws {
        CrashProbe.assertPassed(try CrashProbe.run("manifest-offset", in: root), "Repository.sets() with a manifest time of …+99:00")
    }

    func testParseRejectsOffsetMinutesAbove59() {
        let utc = TimeZone(identifier: "UTC")!
        let accepted = ["2026-01-31T23:00:00+07:60", "2026-01-31T23:00:00+07:99", "2026-01-31T23:00:00-00:75"]
            .filter { Timestamp.parse($0, timeZone: utc) != nil }
        XCTAssertEqual(accepted, [], "offsets with minutes above 59 were accepted")
    }
}
