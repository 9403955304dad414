@testable import PostgresSupport
import XCTest

/// The COPY buffer is a value: a copy writes into memory of its own, before and after growing.
final class CopyBytesTests: XCTestCase {
    private func contents(_ bytes: PostgresCopyBytes) -> [UInt8] { bytes.withBytes { Array($0) } }

    func testACopyWritesIntoMemoryOfItsOwn() {
        var first = PostgresCopyBytes(capacity: 16)
        ([1, 2] as [UInt8]).withUnsafeBytes { first.append($0) }
        var second = first
        ([3] as [UInt8]).withUnsafeBytes { second.append($0) }
        ([4] as [UInt8]).withUnsafeBytes { first.append($0) }
        XCTAssertEqual(contents(first), [1, 2, 4])
        XCTAssertEqual(contents(second), [1, 2, 3])
    }

    func testGrowingKeepsTheBytesAndLeavesOtherCopiesValid() {
        var first = PostgresCopyBytes(capacity: 4)
        ([9, 8, 7] as [UInt8]).withUnsafeBytes { first.append($0) }
        let kept = first
        let large = [UInt8](repeating: 5, count: 1000)
        large.withUnsafeBytes { first.append($0) }
        first.reserve(4)
        first.appendUnchecked(bigEndian: Int32(0x0102_0304))
        XCTAssertEqual(contents(first), [9, 8, 7] + large + [1, 2, 3, 4])
        XCTAssertEqual(contents(kept), [9, 8, 7])
        first.removeAll()
        XCTAssertEqual(contents(first), [])
        XCTAssertEqual(contents(kept), [9, 8, 7])
    }
}
