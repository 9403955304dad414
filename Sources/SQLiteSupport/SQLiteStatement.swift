import CadangCore
import CSQLite

/// A compiled statement. Rows are read straight into a `RowBatch` with no copy per value beyond
/// the batch's own arena.
public final class SQLiteStatement {
    let handle: OpaquePointer
    let database: SQLiteDatabase

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds text to parameter `index` (from 1).
    public func bind(_ text: String, at index: Int32) {
        sqlite3_bind_text(handle, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Binds an integer to parameter `index` (from 1).
    public func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds a double to parameter `index` (from 1).
    public func bind(_ value: Double, at index: Int32) {
        sqlite3_bind_double(handle, index, value)
    }

    /// Binds NULL to parameter `index` (from 1).
    public func bindNull(at index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    /// Clears the bindings and readies the statement for another run (after reading its rows).
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds a batch cell to parameter `index` without copying its bytes: `bytes` (the batch's
    /// arena) must stay unchanged until the statement has been stepped.
    public func bind(_ cell: Cell, in bytes: UnsafeBufferPointer<UInt8>, at index: Int32) {
        switch cell {
        case .null: sqlite3_bind_null(handle, index)
        case .integer(let value): sqlite3_bind_int64(handle, index, value)
        case .real(let value): sqlite3_bind_double(handle, index, value)
        case .text(let range):
            sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes.baseAddress.map { $0 + range.lowerBound } ?? UnsafePointer(bitPattern: 1)!)
                .assumingMemoryBound(to: CChar.self), Int32(range.count), nil)
        case .blob(let range):
            sqlite3_bind_blob(handle, index, bytes.baseAddress.map { UnsafeRawPointer($0 + range.lowerBound) } ?? UnsafeRawPointer(bitPattern: 1)!,
                              Int32(range.count), nil)
        }
    }

    /// Runs a statement that returns no rows and readies it for the next run; returns how many rows
    /// it inserted, updated or deleted.
    @discardableResult
    public func run() throws -> Int {
        defer { sqlite3_reset(handle) }
        while try step() {}
        return Int(sqlite3_changes(database.handle))
    }

    /// Advances; true when a row is available.
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw SQLiteError.make(code, database.handle, path: database.path, action: "read")
        }
    }

    /// Number of result columns.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// A result column's name.
    public func columnName(_ index: Int) -> String {
        String(cString: sqlite3_column_name(handle, Int32(index)))
    }

    /// A column of the current row as a Swift string (invalid UTF-8 repaired), nil for NULL.
    public func string(_ index: Int) -> String? {
        guard sqlite3_column_type(handle, Int32(index)) != SQLITE_NULL, let text = sqlite3_column_text(handle, Int32(index)) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Whether a column of the current row is NULL.
    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    /// A column of the current row as a double (SQLite's conversion rules).
    public func double(_ index: Int) -> Double {
        sqlite3_column_double(handle, Int32(index))
    }

    /// A column of the current row as an integer (SQLite's conversion rules).
    public func int64(_ index: Int) -> Int64 {
        sqlite3_column_int64(handle, Int32(index))
    }

    /// Appends columns `0..<count` of the current row to `batch`, each with its own storage class.
    @inline(__always)
    public func appendRow(to batch: inout RowBatch, columns count: Int) {
        for index in 0..<Int32(count) {
            switch sqlite3_column_type(handle, index) {
            case SQLITE_INTEGER:
                batch.append(sqlite3_column_int64(handle, index))
            case SQLITE_FLOAT:
                batch.append(sqlite3_column_double(handle, index))
            case SQLITE_TEXT:
                let text = sqlite3_column_text(handle, index)
                let length = Int(sqlite3_column_bytes(handle, index))
                batch.appendText(UnsafeRawBufferPointer(start: text, count: length))
            case SQLITE_BLOB:
                let blob = sqlite3_column_blob(handle, index)
                let length = Int(sqlite3_column_bytes(handle, index))
                batch.appendBlob(UnsafeRawBufferPointer(start: blob, count: length))
            default:
                batch.appendNull()
            }
        }
    }
}
