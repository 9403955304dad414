import CadangCore
import Foundation
import XCTest

final class SetIDTests: XCTestCase {
    func testMadeIdsAreValidAndCarryTheUTCTime() {
        let time = utcDate(2026, 11, 21, 15, 15, 10, micros: 123_456)
        let id = SetID.make(time: time)
        XCTAssertTrue(SetID.isValid(id), id)
        XCTAssertEqual(id.utf8.count, 36)
        XCTAssertTrue(id.hasPrefix("20261121T151510.123456Z-"), id)
        let suffix = id.dropFirst(24)
        XCTAssertEqual(suffix.count, 12)
        XCTAssertTrue(suffix.allSatisfy { "0123456789abcdef".contains($0) }, id)

        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let seconds = Double.random(in: 0..<4_102_444_800, using: &generator) // 1970 … 2100
            let made = SetID.make(time: Date(timeIntervalSince1970: seconds))
            XCTAssertTrue(SetID.isValid(made), made)
        }
    }

    func testIdsSortLexicographicallyInTimeOrder() {
        let base = utcDate(2026, 1, 31, 16, 0, 0)
        let times: [Date] = [
            utcDate(1999, 12, 31, 23, 59, 59, micros: 999_999),
            utcDate(2000, 1, 1),
            utcDate(2025, 12, 31, 23, 59, 59, micros: 999_999),
            utcDate(2026, 1, 1),
            base,
            base.addingTimeInterval(0.000_001),
            base.addingTimeInterval(0.000_002),
            base.addingTimeInterval(0.000_010),
            base.addingTimeInterval(0.1),
            base.addingTimeInterval(0.5),
            base.addingTimeInterval(0.999_999),
            base.addingTimeInterval(1),
            base.addingTimeInterval(59),
            base.addingTimeInterval(3_600),
            utcDate(2026, 2, 1),
            utcDate(2026, 10, 1),
            utcDate(2027, 1, 1),
            utcDate(2099, 6, 15, 12, 30, 45, micros: 500_000),
        ]
        for (earlier, later) in zip(times, times.dropFirst()) { precondition(earlier < later) }
        let ids = times.map { SetID.make(time: $0) }
        XCTAssertEqual(ids.sorted(), ids, "ids must sort like their times")
        for (a, b) in zip(ids, ids.dropFirst()) {
            XCTAssertLessThan(a.prefix(23), b.prefix(23), "time part must strictly increase: \(a) \(b)")
        }

        // Random times, shuffled: sorting the ids sorts the times.
        var generator = SeededGenerator(seed: 11)
        let random = (0..<300).map { _ in
            Date(timeIntervalSince1970: Double(Int.random(in: 0..<4_000_000_000, using: &generator))
                 + Double(Int.random(in: 0..<1_000_000, using: &generator)) / 1_000_000)
        }
        let pairs = random.map { (SetID.make(time: $0), $0) }
        let byId = pairs.sorted { $0.0 < $1.0 }.map(\.1)
        XCTAssertEqual(byId, random.sorted())
    }

    func testTenThousandIdsAtTheSameTimeAreUnique() {
        let time = utcDate(2026, 1, 31, 16, 0, 0)
        var seen = Set<String>()
        var duplicates: [String] = []
        for _ in 0..<10_000 {
            let id = SetID.make(time: time)
            XCTAssertTrue(SetID.isValid(id))
            if !seen.insert(id).inserted { duplicates.append(id) }
        }
        XCTAssertEqual(duplicates, [], "SetID.make returned the same id twice for one time")
    }

    func testIsValidRejectsMalformedIds() {
        let good = "20261121T151510.123456Z-9f3a1c20b7e4"
        XCTAssertTrue(SetID.isValid(good))
        let bad = [
            "", "../x", "..", ".", "/", "sets/\(good)", "../\(good.dropFirst(3))",
            "20261121T151510.123456Z-9F3A1C20B7E4",   // uppercase hex
            "20261121T151510.123456Z-9f3a1c20b7eG",
            "20261121T151510.123456Z-9f3a1c20b7e",    // too short
            "20261121T151510.123456Z-9f3a1c20b7e40",  // too long
            "20261121T151510.123456Z-9f3a1c20b7e4/",
            " 20261121T151510.123456Z-9f3a1c20b7e",
            "20261121t151510.123456Z-9f3a1c20b7e4",   // lowercase t
            "20261121T151510.123456z-9f3a1c20b7e4",   // lowercase z
            "20261121T151510,123456Z-9f3a1c20b7e4",
            "20261121T151510.123456Z_9f3a1c20b7e4",
            "2026112XT151510.123456Z-9f3a1c20b7e4",
            "20261121T15151a.123456Z-9f3a1c20b7e4",
            "20261121T151510.12345xZ-9f3a1c20b7e4",
            "20261121T151510.123456Z-9f3a1c20b7eg",
            "20261121T151510.123456Z-../../../../",
            "2026é21T151510.123456Z-9f3a1c20b7e4",  // 36 bytes, non-ASCII digit bytes
        ]
        for text in bad {
            XCTAssertFalse(SetID.isValid(text), "accepted \(text.debugDescription)")
        }
    }
}
