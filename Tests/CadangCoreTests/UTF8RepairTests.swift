import CadangCore
import XCTest

final class UTF8RepairTests: XCTestCase {
    private func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { UTF8Repair.isValid($0) }
    }

    private func repaired(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x41, 0x42, 0x43] // must be emptied first
        bytes.withUnsafeBufferPointer { UTF8Repair.repair($0, into: &output) }
        return output
    }

    /// What Swift's own decoder produces (maximal-subpart replacement).
    private func swiftRepaired(_ bytes: [UInt8]) -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).utf8)
    }

    private func swiftValid(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
    }

    private func assertValid(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(isValid(bytes), "should be valid: \(hex(bytes))", file: file, line: line)
        XCTAssertEqual(repaired(bytes), bytes, "repair must keep valid input: \(hex(bytes))", file: file, line: line)
    }

    private func assertInvalid(_ bytes: [UInt8], repairedTo expected: [UInt8]? = nil,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(isValid(bytes), "should be invalid: \(hex(bytes))", file: file, line: line)
        let output = repaired(bytes)
        XCTAssertEqual(output, swiftRepaired(bytes), "repair differs from Swift for \(hex(bytes))", file: file, line: line)
        if let expected { XCTAssertEqual(output, expected, hex(bytes), file: file, line: line) }
        XCTAssertTrue(isValid(output), "repair output must be valid for \(hex(bytes))", file: file, line: line)
    }

    let fffd: [UInt8] = [0xEF, 0xBF, 0xBD]

    func testValidInputs() {
        assertValid([])
        assertValid(Array("hello".utf8))
        assertValid(Array("harga: Rp 15.000, café, naïve, Ünïcödé".utf8))
        assertValid(Array("日本語のテキスト".utf8))
        assertValid(Array("🛒 belanja 👩‍👩‍👧‍👦 🇮🇩".utf8))
        assertValid([0x00, 0x7F])
        assertValid([0xC2, 0x80])                    // U+0080
        assertValid([0xDF, 0xBF])                    // U+07FF
        assertValid([0xE0, 0xA0, 0x80])              // U+0800
        assertValid([0xED, 0x9F, 0xBF])              // U+D7FF
        assertValid([0xEE, 0x80, 0x80])              // U+E000
        assertValid([0xEF, 0xBF, 0xBF])              // U+FFFF
        assertValid([0xF0, 0x90, 0x80, 0x80])        // U+10000
        assertValid([0xF4, 0x8F, 0xBF, 0xBF])        // U+10FFFF
        assertValid(Array(String(repeating: "abcdefgh", count: 100).utf8))
        assertValid(Array((String(repeating: "x", count: 13) + "é" + String(repeating: "y", count: 17) + "🛒").utf8))
    }

    func testInvalidInputs() {
        assertInvalid([0x80], repairedTo: fffd)                                // lone continuation
        assertInvalid([0x41, 0xBF, 0x42], repairedTo: [0x41] + fffd + [0x42])
        assertInvalid([0xC0, 0x80], repairedTo: fffd + fffd)                   // overlong NUL
        assertInvalid([0xC1, 0xBF], repairedTo: fffd + fffd)
        assertInvalid([0xE0, 0x80, 0x80], repairedTo: fffd + fffd + fffd)      // overlong 3-byte
        assertInvalid([0xE0, 0x9F, 0xBF])
        assertInvalid([0xF0, 0x80, 0x80, 0x80])                                // overlong 4-byte
        assertInvalid([0xF0, 0x8F, 0xBF, 0xBF])
        assertInvalid([0xED, 0xA0, 0x80], repairedTo: fffd + fffd + fffd)      // surrogate D800
        assertInvalid([0xED, 0xBF, 0xBF])                                      // surrogate DFFF
        assertInvalid([0xF4, 0x90, 0x80, 0x80], repairedTo: fffd + fffd + fffd + fffd) // > U+10FFFF
        assertInvalid([0xF5, 0x80, 0x80, 0x80])
        assertInvalid([0xF8, 0x88, 0x80, 0x80, 0x80])
        assertInvalid([0xFE]); assertInvalid([0xFF])
        // Truncated sequences at the end: the valid prefix becomes one U+FFFD.
        assertInvalid([0x41, 0xC3], repairedTo: [0x41] + fffd)
        assertInvalid([0x41, 0xE2, 0x82], repairedTo: [0x41] + fffd)
        assertInvalid([0xE2], repairedTo: fffd)
        assertInvalid([0xF0, 0x9F, 0x9B], repairedTo: fffd)
        assertInvalid([0xF0, 0x9F], repairedTo: fffd)
        assertInvalid([0xF0], repairedTo: fffd)
        // Truncated in the middle.
        assertInvalid([0xE2, 0x82, 0x41], repairedTo: fffd + [0x41])
        assertInvalid([0xF0, 0x9F, 0x9B, 0x41, 0x42], repairedTo: fffd + [0x41, 0x42])
        assertInvalid([0xC3, 0xC3, 0xA9], repairedTo: fffd + [0xC3, 0xA9])
        // Long runs of ASCII around damage.
        assertInvalid(Array(String(repeating: "a", count: 30).utf8) + [0xC3])
        assertInvalid([0xFF] + Array(String(repeating: "a", count: 30).utf8))
    }

    /// Exercises the eight-bytes-at-a-time ASCII path: one bad byte at every position.
    func testLongASCIIRunsWithABadByteAtEveryPosition() {
        for length in [8, 9, 15, 16, 17, 20, 24, 33] {
            let ascii = Array(repeating: UInt8(ascii: "k"), count: length)
            assertValid(ascii)
            for position in 0..<min(length, 20) {
                for bad: UInt8 in [0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xF0, 0xFF] {
                    var bytes = ascii
                    bytes[position] = bad
                    assertInvalid(bytes)
                }
                // A valid multi-byte character at the same position keeps it valid.
                var bytes = ascii
                bytes.replaceSubrange(position..<(position + 1), with: Array("é".utf8))
                assertValid(bytes)
                bytes = ascii
                bytes.replaceSubrange(position..<(position + 1), with: Array("🛒".utf8))
                assertValid(bytes)
            }
        }
        for position in 0..<20 {
            var bytes = Array(repeating: UInt8(ascii: "z"), count: 20)
            bytes[position] = 0x80
            XCTAssertFalse(isValid(bytes), "position \(position)")
            var expected = bytes
            expected.replaceSubrange(position..<(position + 1), with: fffd)
            XCTAssertEqual(repaired(bytes), expected, "position \(position)")
        }
    }

    func testRandomBytesMatchSwiftsDecoder() {
        var generator = SeededGenerator(seed: 0xC0FFEE)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("abcdefghij".utf8), Array("é".utf8), Array("€".utf8), Array("🛒".utf8),
            [0x80], [0xBF], [0xC0], [0xC1], [0xC2], [0xDF], [0xE0], [0xE0, 0xA0], [0xED], [0xED, 0xA0], [0xEF],
            [0xF0], [0xF0, 0x90], [0xF0, 0x90, 0x80], [0xF4], [0xF4, 0x8F], [0xF4, 0x90], [0xF5], [0xFF],
        ]
        var invalidCount = 0
        for round in 0..<4_000 {
            var bytes: [UInt8] = []
            if round % 2 == 0 {
                // Fully random bytes, biased towards the interesting high range.
                let length = Int.random(in: 0...24, using: &generator)
                for _ in 0..<length {
                    bytes.append(Bool.random(using: &generator)
                        ? UInt8.random(in: 0x80...0xFF, using: &generator)
                        : UInt8.random(in: 0x00...0xFF, using: &generator))
                }
            } else {
                // Concatenated valid and broken pieces.
                for _ in 0..<Int.random(in: 0...12, using: &generator) {
                    bytes += pieces.randomElement(using: &generator)!
                }
            }
            let valid = isValid(bytes)
            XCTAssertEqual(valid, swiftValid(bytes), "isValid disagrees with Swift for \(hex(bytes))")
            let output = repaired(bytes)
            XCTAssertEqual(output, swiftRepaired(bytes), "repair disagrees with Swift for \(hex(bytes))")
            if valid { XCTAssertEqual(output, bytes) } else { invalidCount += 1 }
        }
        XCTAssertGreaterThan(invalidCount, 1_000, "the generator should produce plenty of invalid input")
    }

    func testTextCellsRepairsAndCounts() {
        var cells = TextCells()
        let arena: [UInt8] = Array("ok".utf8) + [0xC3] + Array("fine".utf8)
        let first = arena.withUnsafeBufferPointer { buffer in cells.withValidUTF8(buffer, 0..<2) { Array($0) } }
        XCTAssertEqual(first, Array("ok".utf8))
        XCTAssertEqual(cells.repairedCount, 0)
        let second = arena.withUnsafeBufferPointer { buffer in cells.withValidUTF8(buffer, 1..<3) { Array($0) } }
        XCTAssertEqual(second, [UInt8(ascii: "k")] + fffd)
        XCTAssertEqual(cells.repairedCount, 1)
        let warnings = WarningLog()
        cells.report(to: warnings, artifact: "items.csv")
        XCTAssertEqual(warnings.messages.count, 1)
        XCTAssertTrue(warnings.messages[0].contains("items.csv"))
        XCTAssertFalse(warnings.somethingSkipped)
    }
}
