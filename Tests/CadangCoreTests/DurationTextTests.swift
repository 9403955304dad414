import CadangCore
import XCTest

final class DurationTextTests: XCTestCase {
    func testParseUnitsAndCombinations() {
        let cases: [(String, Double)] = [
            ("30s", 30), ("5m", 300), ("1h30m", 5_400), ("7d", 604_800), ("2w", 1_209_600),
            ("90", 90), ("0", 0), ("1.5h", 5_400), ("0.5s", 0.5), ("2.5", 2.5), ("1w2d3h4m5s", 788_645),
            ("90s", 90), ("1h", 3_600), (" 5m ", 300), ("10m30s", 630), ("0s", 0),
            ("250ms", 0.25), ("1m30s500ms", 90.5), ("1500ms", 1.5),
        ]
        for (text, seconds) in cases {
            XCTAssertEqual(DurationText.parse(text), seconds, text.debugDescription)
        }
    }

    func testParseRejectsNonDurations() {
        for text in ["", " ", "5x", "m5", "5m3", "s", "h", "-5", "-5m", "5 m", "1..5h", "5mm", "abc", "1h-30m", "5M", "٣s", "5ms3", "5mss", "ms", "5sm"] {
            XCTAssertNil(DurationText.parse(text), "accepted \(text.debugDescription)")
        }
    }

    /// `Double(text)` also reads "inf"/"infinity"; a duration of infinity is not a span, and
    /// `format(.infinity)` would trap converting it to Int.
    func testParseRejectsInfinity() {
        let accepted = ["inf", "infinity", "Infinity", "nan", "1e400"].filter { DurationText.parse($0) != nil }
        XCTAssertEqual(accepted, [], "parsed as durations")
    }

    func testFormat() {
        XCTAssertEqual(DurationText.format(0), "0s")
        XCTAssertEqual(DurationText.format(30), "30s")
        XCTAssertEqual(DurationText.format(90), "1m30s")
        XCTAssertEqual(DurationText.format(300), "5m")
        XCTAssertEqual(DurationText.format(5_400), "1h30m")
        XCTAssertEqual(DurationText.format(86_400), "1d")
        XCTAssertEqual(DurationText.format(604_800), "1w")
        XCTAssertEqual(DurationText.format(1_209_600), "2w")
        XCTAssertEqual(DurationText.format(788_645), "1w2d3h4m5s")
        XCTAssertEqual(DurationText.format(0.5), "500ms")
        XCTAssertEqual(DurationText.format(90.25), "1m30s250ms")
    }

    func testFormatRoundTripsThroughParse() {
        var values: [Double] = [0, 0.5, 1, 1.5, 30, 59, 60, 61, 90, 599, 3_600, 3_601, 5_400, 86_399, 86_400,
                                604_799, 604_800, 1_209_600, 788_645, 90_061.25, 3_600.1, 31_536_000]
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<500 { values.append(Double(Int.random(in: 0..<10_000_000, using: &generator))) }
        for _ in 0..<200 { values.append(Double(Int.random(in: 0..<1_000_000, using: &generator)) / 4) }
        for value in values {
            let text = DurationText.format(value)
            XCTAssertEqual(DurationText.parse(text), value, "\(value) → \(text)")
        }
    }
}
