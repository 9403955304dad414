import Foundation
@testable import PostgresSupport
import XCTest

/// COPY FROM STDIN in binary format: every type the writer sends reads back equal, NUL becomes
/// U+FFFD, fields larger than a chunk go through, fields over PostgreSQL's limit are NULL, and an
/// abort keeps nothing.
final class BinaryCopyTests: PostgresTestCase {
    private struct Stop: Error {}
    private let copy = "COPY b (id, note, data, price, at) FROM STDIN (FORMAT binary)"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try connection.run("CREATE TABLE b (id int8, note text, data bytea, price float8, at timestamptz)")
    }

    private func copyRows(_ fill: (inout PostgresBinaryCopyWriter) throws -> Void) throws -> Int {
        var writer = try connection.startBinaryCopyIn(copy)
        do {
            try fill(&writer)
        } catch {
            connection.abortCopyIn(&writer, because: error)
            throw error
        }
        return try connection.finishCopyIn(&writer)
    }

    private func withBytes(_ text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        var text = text
        text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    func testEveryTypeReadsBackEqual() throws {
        let ids: [Int64] = [.min, -1, 0, 1, .max]
        let notes = ["tab\there", "new\nline", "back\\slash", "\\N", "", "ünïcødé 🧾", "'); DROP TABLE b; --"]
        let prices: [Double] = [0.1, -0.0, .infinity, -.infinity, 1e308, 44_000, .leastNonzeroMagnitude]
        let data: [UInt8] = [0, 9, 10, 13, 92, 255]
        // 2026-12-04 19:42:08.123456 UTC, and one before PostgreSQL's epoch (2000-01-01).
        let times = [Date(timeIntervalSince1970: 1_796_413_328.123456), Date(timeIntervalSince1970: 86_400.5)]
        let stored = try copyRows { writer in
            for (index, id) in ids.enumerated() {
                try writer.beginRow(fields: 5)
                writer.append(int64: id)
                withBytes(notes[index]) { writer.append(text: $0) }
                data.withUnsafeBytes { writer.append(bytea: $0) }
                writer.append(float64: prices[index])
                writer.append(timestamp: times[index % 2])
            }
            try writer.beginRow(fields: 5)
            for _ in 0..<5 { writer.appendNull() }
        }
        XCTAssertEqual(stored, ids.count + 1)
        let result = try connection.execute("""
            SELECT id, note, data, price::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM b ORDER BY id NULLS LAST
            """)
        for (row, id) in ids.enumerated() {
            XCTAssertEqual(try result.int64(row, 0), id)
            XCTAssertEqual(result.string(row, 1), notes[row], "row \(row)")
            XCTAssertEqual(try result.bytes(row, 2), data)
            XCTAssertEqual(result.string(row, 3), ["0.1", "-0", "Infinity", "-Infinity", "1e+308", "44000", "5e-324"][row])
            XCTAssertEqual(result.string(row, 4), row % 2 == 0 ? "2026-12-04 19:42:08.123456" : "1970-01-02 00:00:00.500000")
        }
        XCTAssertTrue((0..<5).allSatisfy { result.isNull(ids.count, $0) }, "NULL in every column")
        XCTAssertFalse(result.isNull(4, 1), "empty text is not NULL")
    }

    func testNaNAndIntegersAsTextAndEncodedFieldsReadBackEqual() throws {
        try connection.run("CREATE TABLE t (a text, n text, x float8, at timestamptz)")
        let prefix = PostgresBinaryCopyWriter.encoded(text: "toko\u{0}satu")
            + PostgresBinaryCopyWriter.encoded(timestamp: Date(timeIntervalSince1970: 1_796_413_328.123456))
        var writer = try connection.startBinaryCopyIn("COPY t (a, at, n, x) FROM STDIN (FORMAT binary)")
        for value: Int64 in [.min, -7, 0, 42, .max] {
            try writer.beginRow(fields: 4)
            prefix.withUnsafeBytes { writer.append(encoded: $0) }
            writer.append(decimalText: value)
            writer.append(float64: .nan)
        }
        XCTAssertEqual(try connection.finishCopyIn(&writer), 5)
        let result = try connection.execute("SELECT a, n, x::text, (extract(epoch FROM at) * 1000000)::bigint FROM t")
        XCTAssertEqual((0..<5).map { result.string($0, 1) }, ["-9223372036854775808", "-7", "0", "42", "9223372036854775807"])
        XCTAssertEqual(result.string(0, 0), "toko\u{FFFD}satu")
        XCTAssertEqual(result.string(0, 2), "NaN")
        XCTAssertEqual(try result.int64(0, 3), 1_796_413_328_123_456)
    }

    func testNULInTextIsStoredAsTheReplacementCharacterAndCounted() throws {
        let stored = try copyRows { writer in
            try writer.beginRow(fields: 5)
            writer.append(int64: 1)
            withBytes("a\u{0}b\u{0}") { writer.append(text: $0) }
            for _ in 0..<3 { writer.appendNull() }
            XCTAssertEqual(writer.replacedNULs, 2)
        }
        XCTAssertEqual(stored, 1)
        XCTAssertEqual(try connection.execute("SELECT note FROM b").string(0, 0), "a\u{FFFD}b\u{FFFD}")
    }

    func testValuesOverTheFieldLimitAreStoredAsNULLAndCounted() throws {
        let stored = try copyRows { writer in
            writer.fieldLimit = 10 // stands for PostgreSQL's 1 GB
            for (id, note) in ["ten bytes!", "eleven byte", "a\u{0}b\u{0}cd", "a\u{0}b\u{0}cde"].enumerated() {
                try writer.beginRow(fields: 5)
                writer.append(int64: Int64(id))
                withBytes(note) { writer.append(text: $0) }
                withBytes(note) { writer.append(bytea: $0) }
                for _ in 0..<2 { writer.appendNull() }
            }
            XCTAssertEqual(writer.oversizedFields, 3, "text over the limit, also once its NULs became U+FFFD, and bytea")
        }
        XCTAssertEqual(stored, 4)
        let result = try connection.execute("SELECT note, length(data) FROM b ORDER BY id")
        XCTAssertEqual((0..<4).map { result.string($0, 0) }, ["ten bytes!", nil, "a\u{FFFD}b\u{FFFD}cd", nil])
        XCTAssertEqual(try (0..<4).map { try result.int64($0, 1) }, [10, nil, 6, 7])
    }

    func testFieldsLargerThanAChunkAndManyRowsGoThrough() throws {
        let large = String(repeating: "kasir ", count: 100_000) // 600 KB, beyond the 64 KiB chunk and the buffer
        let stored = try copyRows { writer in
            for id in 0..<200_000 {
                try writer.beginRow(fields: 5)
                writer.append(int64: Int64(id))
                if id % 50_000 == 7 { withBytes(large) { writer.append(text: $0) } } else { withBytes("row \(id)") { writer.append(text: $0) } }
                for _ in 0..<3 { writer.appendNull() }
            }
            XCTAssertEqual(writer.rowCount, 200_000)
        }
        XCTAssertEqual(stored, 200_000)
        let result = try connection.execute("SELECT count(*), sum(id)::bigint, count(*) FILTER (WHERE length(note) = 600000) FROM b")
        XCTAssertEqual(try result.int64(0, 1), 199_999 * 200_000 / 2)
        XCTAssertEqual(try result.int64(0, 2), 4)
    }

    func testAThrownErrorAbortsTheCopyAndKeepsNoRows() throws {
        XCTAssertThrowsError(try copyRows { writer in
            for id in 0..<50_000 {
                try writer.beginRow(fields: 5)
                writer.append(int64: Int64(id))
                for _ in 0..<4 { writer.appendNull() }
            }
            throw Stop()
        }) { XCTAssertTrue($0 is Stop, "the fill's own error comes back") }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM b").int64(0, 0), 0)
        XCTAssertFalse(connection.isInTransaction)
    }

    func testAFieldOfTheWrongTypeFailsTheCopyWithTheServersError() throws {
        let error = postgresError {
            _ = try copyRows { writer in
                try writer.beginRow(fields: 5)
                withBytes("not a bigint") { writer.append(text: $0) } // 12 bytes where int8 needs 8
                for _ in 0..<4 { writer.appendNull() }
            }
        }
        XCTAssertEqual(error?.sqlState, "22P03", "invalid_binary_representation")
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM b").int64(0, 0), 0)
    }
}
