import CPostgres
import Foundation

/// The rows (or the command status) one statement returned, in text format. Values are read
/// straight from libpq's copy; an accessor allocates nothing beyond the value it returns.
public final class PostgresResult {
    let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { PQclear(handle) }

    /// Number of rows.
    public var rowCount: Int { Int(PQntuples(handle)) }

    /// Number of columns.
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// The columns' names, in order.
    public var columnNames: [String] {
        (0..<columnCount).map { columnName($0) }
    }

    /// One column's name.
    public func columnName(_ column: Int) -> String {
        precondition(column >= 0 && column < columnCount, "column \(column) out of range")
        return String(cString: PQfname(handle, Int32(column)))
    }

    /// The index of the column named exactly `name` (no case folding, unlike `PQfnumber`).
    public func columnIndex(_ name: String) -> Int? {
        (0..<columnCount).first { PQfname(handle, Int32($0)).map { String(cString: $0) } == name }
    }

    /// Rows inserted, updated, deleted, copied or fetched, from the command tag; 0 when the
    /// command reports none.
    public var affectedRows: Int {
        guard let tag = PQcmdTuples(handle) else { return 0 }
        return Int(String(cString: tag)) ?? 0
    }

    /// The command tag without its counts (`COMMIT`, `INSERT`, or `ROLLBACK` for a COMMIT of a
    /// failed transaction).
    public var commandTag: String {
        guard let tag = PQcmdStatus(handle) else { return "" }
        return String(String(cString: tag).prefix { $0 != " " })
    }

    /// Whether a value is NULL.
    public func isNull(_ row: Int, _ column: Int) -> Bool {
        check(row, column)
        return PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// Calls `body` with a value's text-format bytes, nil for NULL, valid only inside `body`.
    public func withBytes<T>(_ row: Int, _ column: Int, _ body: (UnsafeRawBufferPointer?) throws -> T) rethrows -> T {
        check(row, column)
        let r = Int32(row), c = Int32(column)
        guard PQgetisnull(handle, r, c) == 0, let value = PQgetvalue(handle, r, c) else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: value, count: Int(PQgetlength(handle, r, c))))
    }

    /// A value as text (invalid UTF-8 repaired), nil for NULL.
    public func string(_ row: Int, _ column: Int) -> String? {
        withBytes(row, column) { bytes in bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// A value as an integer, nil for NULL; throws when it is not an integer that fits.
    public func int64(_ row: Int, _ column: Int) throws -> Int64? {
        try withBytes(row, column) { bytes in
            guard let bytes else { return nil }
            guard let value = PostgresText.int64(bytes) else { throw mismatch(row, column, "an integer") }
            return value
        }
    }

    /// A value as a double, nil for NULL; throws when it is not a number.
    public func double(_ row: Int, _ column: Int) throws -> Double? {
        try withBytes(row, column) { bytes in
            guard let bytes else { return nil }
            // The value is NUL-terminated in libpq's copy, which is what strtod needs.
            guard let base = bytes.baseAddress, bytes.count > 0 else { throw mismatch(row, column, "a number") }
            let start = base.assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &end)
            guard let end, end == UnsafeMutablePointer(mutating: start) + bytes.count else {
                throw mismatch(row, column, "a number")
            }
            return value
        }
    }

    /// A value as a boolean (`t`/`f`, or `true`/`false` in a text column), nil for NULL.
    public func bool(_ row: Int, _ column: Int) throws -> Bool? {
        try withBytes(row, column) { bytes in
            guard let bytes else { return nil }
            guard let value = PostgresText.bool(bytes) else { throw mismatch(row, column, "a boolean") }
            return value
        }
    }

    /// A value's bytes, nil for NULL: a bytea column decoded (hex or escape output), any other
    /// column's text as it is.
    public func bytes(_ row: Int, _ column: Int) throws -> [UInt8]? {
        let isBytea = PQftype(handle, Int32(column)) == 17
        return try withBytes(row, column) { bytes in
            guard let bytes else { return nil }
            guard isBytea else { return Array(bytes) }
            guard let value = PostgresText.bytea(bytes) else { throw mismatch(row, column, "bytea") }
            return value
        }
    }

    private func check(_ row: Int, _ column: Int) {
        precondition(row >= 0 && row < rowCount, "row \(row) out of range (\(rowCount) rows)")
        precondition(column >= 0 && column < columnCount, "column \(column) out of range (\(columnCount) columns)")
    }

    private func mismatch(_ row: Int, _ column: Int, _ expected: String) -> PostgresError {
        let value = string(row, column) ?? ""
        let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
        return PostgresError(sqlState: "22P02", message: "the value '\(shown)' is not \(expected)",
                             action: "read row \(row) column '\(columnName(column))'")
    }
}
