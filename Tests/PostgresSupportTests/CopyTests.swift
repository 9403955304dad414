import PostgresSupport
import XCTest

/// COPY FROM STDIN: escaping that reads back equal, and an abort that keeps nothing.
final class CopyTests: PostgresTestCase {
    private struct Stop: Error {}

    override func setUpWithError() throws {
        try super.setUpWithError()
        try connection.run("CREATE TABLE c (id int8, note text, data bytea, price float8, paid bool)")
    }

    func testAwkwardTextAndEveryTypeReadBackEqual() throws {
        let notes: [String?] = ["tab\there", "new\nline", "carriage\rreturn", "back\\slash", "\\N", nil, "", "\\.", "ends with \\",
                                "ünïcødé 🧾", "\\x41", "'); DROP TABLE c; --"]
        let data: [UInt8] = [0, 9, 10, 13, 92, 255]
        let stored = try connection.copyIn("COPY c (id, note, data, price, paid) FROM STDIN") { writer in
            for (index, note) in notes.enumerated() {
                try writer.appendRow([.integer(Int64(index) - 3), note.map { .text($0) }, .bytes(data), .double(0.1 * Double(index)),
                                      .boolean(index % 2 == 0)])
            }
        }
        XCTAssertEqual(stored, notes.count)
        let result = try connection.execute("SELECT id, note, data, price, paid FROM c ORDER BY id")
        XCTAssertEqual(result.rowCount, notes.count)
        for row in 0..<result.rowCount {
            XCTAssertEqual(try result.int64(row, 0), Int64(row) - 3)
            XCTAssertEqual(result.string(row, 1), notes[row], "row \(row)")
            XCTAssertEqual(try result.bytes(row, 2), data)
            XCTAssertEqual(try result.double(row, 3), 0.1 * Double(row))
            XCTAssertEqual(try result.bool(row, 4), row % 2 == 0)
        }
        XCTAssertTrue(result.isNull(5, 1), "nil is NULL")
        XCTAssertFalse(result.isNull(4, 1), "the text \\N is not NULL")
    }

    func testManyRowsCrossTheBufferBoundaries() throws {
        let stored = try connection.copyIn("COPY c (id, note) FROM STDIN") { writer in
            for id in 0..<200_000 {
                writer.append(.integer(Int64(id)))
                writer.append(.text("row \(id)\twith a tab"))
                try writer.endRow()
            }
            XCTAssertEqual(writer.rowCount, 200_000)
        }
        XCTAssertEqual(stored, 200_000)
        XCTAssertEqual(try connection.execute("SELECT count(*), sum(id), count(*) FILTER (WHERE note LIKE '%\twith a tab') FROM c")
            .int64(0, 2), 200_000)
    }

    func testAThrownErrorAbortsTheCopyAndKeepsNoRows() throws {
        XCTAssertThrowsError(try connection.copyIn("COPY c (id) FROM STDIN") { writer in
            for id in 0..<50_000 { try writer.appendRow([.integer(Int64(id))]) }
            throw Stop()
        }) { XCTAssertTrue($0 is Stop, "the fill's own error comes back") }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM c").int64(0, 0), 0)
        XCTAssertFalse(connection.isInTransaction)
    }

    func testARowTheServerRejectsFailsTheCopyWithItsError() throws {
        let error = postgresError {
            try connection.copyIn("COPY c (id) FROM STDIN") { writer in
                try writer.appendRow([.integer(1)])
                try writer.appendRow([.text("not a number")])
            }
        }
        XCTAssertEqual(error?.sqlState, "22P02")
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM c").int64(0, 0), 0)
    }

    func testCopyThroughExecuteIsRefusedAndTheConnectionRecovers() throws {
        let error = postgresError { try connection.execute("COPY c (id) FROM STDIN") }
        XCTAssertTrue(error?.message.contains("copyIn") ?? false)
        XCTAssertEqual(try connection.execute("SELECT 1").int64(0, 0), 1)
    }
}
