import CadangCore
import XCTest

final class RowBatchTests: XCTestCase {
    private func text(_ batch: RowBatch, _ cell: Cell) -> [UInt8]? {
        switch cell {
        case .text(let range), .blob(let range): Array(batch.bytes[range])
        default: nil
        }
    }

    func testEveryKindRoundTrips() {
        var batch = RowBatch(columnCount: 7, capacity: 10)
        XCTAssertEqual(batch.columnCount, 7)
        XCTAssertEqual(batch.capacity, 10)
        XCTAssertTrue(batch.isEmpty)
        let blob: [UInt8] = [0, 255, 10, 0]
        // Row 0.
        batch.appendNull()
        batch.append(Int64.min)
        batch.append(Double(-0.0))
        batch.append("héllo 🛒")
        blob.withUnsafeBytes { batch.appendBlob($0) }
        batch.append(String?.none)
        batch.append(String?.some("opt"))
        // Row 1.
        batch.append(Int64.max)
        batch.append(Int64(0))
        batch.append(Double.nan)
        batch.append("")
        [UInt8]().withUnsafeBytes { batch.appendBlob($0) }
        let raw: [UInt8] = [0x66, 0xC3]
        raw.withUnsafeBytes { batch.appendText($0) }
        batch.append(Double.infinity)

        XCTAssertEqual(batch.rowCount, 2)
        XCTAssertFalse(batch.isEmpty)
        XCTAssertFalse(batch.isFull)

        XCTAssertEqual(batch.cell(row: 0, column: 0), .null)
        XCTAssertEqual(batch.cell(row: 0, column: 1), .integer(Int64.min))
        guard case .real(let negativeZero) = batch.cell(row: 0, column: 2) else { return XCTFail("not real") }
        XCTAssertEqual(negativeZero.bitPattern, Double(-0.0).bitPattern)
        guard case .text = batch.cell(row: 0, column: 3) else { return XCTFail("not text") }
        XCTAssertEqual(text(batch, batch.cell(row: 0, column: 3)), Array("héllo 🛒".utf8))
        guard case .blob = batch.cell(row: 0, column: 4) else { return XCTFail("not blob") }
        XCTAssertEqual(text(batch, batch.cell(row: 0, column: 4)), blob)
        XCTAssertEqual(batch.cell(row: 0, column: 5), .null)
        XCTAssertEqual(text(batch, batch.cell(row: 0, column: 6)), Array("opt".utf8))

        XCTAssertEqual(batch.cell(row: 1, column: 0), .integer(Int64.max))
        XCTAssertEqual(batch.cell(row: 1, column: 1), .integer(0))
        guard case .real(let nan) = batch.cell(row: 1, column: 2) else { return XCTFail("not real") }
        XCTAssertEqual(nan.bitPattern, Double.nan.bitPattern)
        guard case .text(let emptyRange) = batch.cell(row: 1, column: 3) else { return XCTFail("not text") }
        XCTAssertTrue(emptyRange.isEmpty)
        guard case .blob(let emptyBlob) = batch.cell(row: 1, column: 4) else { return XCTFail("not blob") }
        XCTAssertTrue(emptyBlob.isEmpty)
        guard case .text = batch.cell(row: 1, column: 5) else { return XCTFail("not text") }
        XCTAssertEqual(text(batch, batch.cell(row: 1, column: 5)), raw, "text bytes are stored unvalidated")
        XCTAssertEqual(batch.cell(row: 1, column: 6), .real(.infinity))

        // Text ranges are consecutive slices of one arena.
        let expectedArena = Array("héllo 🛒".utf8) + blob + Array("opt".utf8) + raw
        XCTAssertEqual(batch.bytes, expectedArena)
        XCTAssertEqual(batch.withBytes { Array($0) }, expectedArena)
        guard case .text(let firstRange) = batch.cell(row: 0, column: 3) else { return XCTFail() }
        XCTAssertEqual(firstRange, 0..<"héllo 🛒".utf8.count)
        guard case .blob(let blobRange) = batch.cell(row: 0, column: 4) else { return XCTFail() }
        XCTAssertEqual(blobRange, firstRange.upperBound..<(firstRange.upperBound + blob.count))
    }

    func testIntegersAndRealsRoundTripExactly() {
        var batch = RowBatch(columnCount: 2, capacity: 1_000)
        var generator = SeededGenerator(seed: 10)
        var expected: [(Int64, Double)] = []
        for _ in 0..<1_000 {
            let i = Int64(bitPattern: generator.next())
            let d = Double(bitPattern: generator.next())
            expected.append((i, d))
            batch.append(i)
            batch.append(d)
        }
        XCTAssertTrue(batch.isFull)
        for (row, (i, d)) in expected.enumerated() {
            XCTAssertEqual(batch.cell(row: row, column: 0), .integer(i))
            guard case .real(let value) = batch.cell(row: row, column: 1) else { return XCTFail("row \(row)") }
            XCTAssertEqual(value.bitPattern, d.bitPattern)
        }
    }

    func testIsFullAtCapacityAndRemoveAllKeepsWorking() {
        var batch = RowBatch(columnCount: 3, capacity: 4)
        for round in 0..<3 {
            XCTAssertTrue(batch.isEmpty)
            XCTAssertEqual(batch.rowCount, 0)
            XCTAssertEqual(batch.bytes, [])
            for row in 0..<4 {
                XCTAssertFalse(batch.isFull, "round \(round) row \(row)")
                batch.append(Int64(row))
                XCTAssertFalse(batch.isFull)
                batch.append("r\(round)-\(row)")
                XCTAssertEqual(batch.rowCount, row, "an incomplete row is not counted")
                batch.appendNull()
                XCTAssertEqual(batch.rowCount, row + 1)
            }
            XCTAssertTrue(batch.isFull)
            XCTAssertEqual(batch.rowCount, 4)
            for row in 0..<4 {
                XCTAssertEqual(batch.cell(row: row, column: 0), .integer(Int64(row)))
                XCTAssertEqual(text(batch, batch.cell(row: row, column: 1)), Array("r\(round)-\(row)".utf8))
                XCTAssertEqual(batch.cell(row: row, column: 2), .null)
            }
            // After removeAll, ranges start at the beginning of the arena again.
            batch.removeAll()
            XCTAssertTrue(batch.isEmpty)
            XCTAssertFalse(batch.isFull)
            XCTAssertEqual(batch.rowCount, 0)
            XCTAssertEqual(batch.bytes.count, 0)
            batch.append(Int64(1)); batch.append("again"); batch.appendNull()
            XCTAssertEqual(batch.cell(row: 0, column: 1), .text(0..<5))
            XCTAssertEqual(text(batch, batch.cell(row: 0, column: 1)), Array("again".utf8))
            batch.removeAll()
        }
    }

    func testCapacityIsAtLeastOne() {
        var batch = RowBatch(columnCount: 1, capacity: 0)
        XCTAssertEqual(batch.capacity, 1)
        XCTAssertFalse(batch.isFull)
        batch.append("x")
        XCTAssertTrue(batch.isFull)
        XCTAssertEqual(RowBatch(columnCount: 2).capacity, 4096)
    }

    func testLargeArenaRangesStayCorrect() {
        var batch = RowBatch(columnCount: 1, capacity: 5_000)
        var generator = SeededGenerator(seed: 12)
        var values: [[UInt8]] = []
        for _ in 0..<5_000 {
            let value = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            values.append(value)
            value.withUnsafeBytes { batch.appendBlob($0) }
        }
        XCTAssertTrue(batch.isFull)
        XCTAssertEqual(batch.bytes.count, values.reduce(0) { $0 + $1.count })
        for (row, value) in values.enumerated() {
            XCTAssertEqual(text(batch, batch.cell(row: row, column: 0)), value, "row \(row)")
        }
    }
}
