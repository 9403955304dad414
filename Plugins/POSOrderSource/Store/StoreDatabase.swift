import CadangCore

/// A value bound to a store statement; `nil` in a parameter list is NULL.
enum StoreValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case real(Double)
}

/// The current row of a store query, read by column position.
protocol StoreRow {
    func text(_ column: Int) throws -> String?
    func integer(_ column: Int) throws -> Int64?
    func real(_ column: Int) throws -> Double?
}

/// The order store's database — a SQLite file or a PostgreSQL schema — behind one SQL text.
///
/// Contract: statements are written once, with `?` placeholders (PostgreSQL gets `$1`, `$2`…) and
/// in the SQL both understand (TEXT, BIGINT, DOUBLE PRECISION, `ON CONFLICT`, `RETURNING`).
/// `write` runs its body as one transaction that excludes every other writer of the store and is
/// durable once it returns (SQLite: WAL with `synchronous=FULL`; PostgreSQL: a committed
/// transaction); a throw rolls all of it back. `read` runs its body on one consistent snapshot.
/// A connection is used by one thread at a time.
protocol StoreDatabase: AnyObject {
    /// What the store is, for messages: the SQLite file or the redacted PostgreSQL target and schema.
    var location: String { get }
    /// Runs a statement that returns no rows; returns the rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [StoreValue?]) throws -> Int
    /// Runs a query, calling `body` for each row.
    func query(_ sql: String, _ values: [StoreValue?], _ body: (any StoreRow) throws -> Void) throws
    /// Runs `body` in one exclusive, durable write transaction.
    func write<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` on one consistent snapshot of the store.
    func read<T>(_ body: () throws -> T) throws -> T
    /// Streams a query's rows as a table (inside `read`); the query's columns are `schema`'s.
    func table(_ sql: String, _ values: [StoreValue?], schema: TableSchema) throws -> any TableReader
    /// Runs `body` holding order `id`'s import lock, across as many transactions as it makes: no
    /// other process (on any machine sharing the store) imports that order meanwhile. Waits up to
    /// `wait` seconds for it, then throws. The lock goes with the process: a killed import never
    /// leaves it held (PostgreSQL: a session advisory lock per order; SQLite: an `flock` on the
    /// store's `.import-lock` file, one for the whole store, since the file has one writer anyway).
    func withImportLock<T>(order id: Int64, wait: Double, _ body: () throws -> T) throws -> T
}

/// Another import held an order's lock longer than an import may take.
struct ImportLockTimeout: Error, CustomStringConvertible {
    var store: String
    var seconds: Double
    var description: String { "order store \(store): another import held an order's lock for over \(Int(seconds)) s" }
}

extension StoreDatabase {
    /// The first column of the first row, as an integer (0 when there is none).
    func count(_ sql: String, _ values: [StoreValue?] = []) throws -> Int64 {
        var result: Int64 = 0
        try query(sql, values) { row in result = try row.integer(0) ?? 0 }
        return result
    }

    /// Inserts `rows` into `table` (`columns` in order) in as few statements as both databases
    /// allow, each with `suffix` (e.g. `ON CONFLICT DO NOTHING`).
    func insert(into table: String, columns: [String], rows: [[StoreValue?]], suffix: String = "") throws {
        guard !rows.isEmpty else { return }
        // SQLite allows 32,766 parameters, PostgreSQL 65,535; a chunk stays well under both.
        let perStatement = max(1, 4_000 / columns.count)
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            let sql = "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES "
                + Array(repeating: tuple, count: chunk.count).joined(separator: ",") + " " + suffix
            try execute(sql, chunk.flatMap { $0 })
            start += perStatement
        }
    }
}
