import CadangCore
import PostgresSupport

/// The order store in a PostgreSQL schema (`store:` names the database; the schema defaults to
/// `cadang`, so grants can be given per schema).
///
/// Writers serialise on a transaction-scoped advisory lock named after the schema, so a run and
/// `cadang serve` ingesting at once take turns instead of racing between a lookup and an insert.
/// Reads are `REPEATABLE READ`: every dataset of a set comes from one snapshot.
final class PostgresStoreDatabase: StoreDatabase {
    let connection: PostgresConnection
    let schema: String
    let location: String
    /// `?` → `$n` conversions, by statement text.
    private var converted: [String: String] = [:]
    private var depth = 0
    private var cursors = 0

    /// Connects to `conninfo` and works in `schema` (which must be a plain lowercase identifier).
    init(conninfo: String, schema: String) throws {
        guard Self.isPlainIdentifier(schema) else {
            throw CadangError(.usage, "store schema '\(schema)' is not a plain name",
                              fix: "use lowercase letters, digits and underscores, starting with a letter")
        }
        connection = try PostgresConnection(conninfo, applicationName: "cadang pos-orders")
        self.schema = schema
        location = "\(connection.target) (schema \(schema))"
        try connection.run("SET search_path TO \(schema)")
    }

    /// Whether `name` needs no quoting in SQL (and so can be spliced as an identifier).
    static func isPlainIdentifier(_ name: String) -> Bool {
        PostgresIdentifier.isPlain(name)
    }

    /// The statement with `$1`, `$2`… for its `?` (none of the store's statements quotes a `?`).
    private func postgresText(_ sql: String) -> String {
        if let text = converted[sql] { return text }
        var text = ""
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                text += "$\(number)"
            } else {
                text.append(character)
            }
        }
        if converted.count < 256 { converted[sql] = text }
        return text
    }

    private func parameters(_ values: [StoreValue?]) -> [PostgresValue?] {
        values.map { value in
            switch value {
            case nil: nil
            case .text(let text)?: .text(text)
            case .integer(let integer)?: .integer(integer)
            case .real(let real)?: .double(real)
            }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ values: [StoreValue?]) throws -> Int {
        try connection.execute(postgresText(sql), parameters(values)).affectedRows
    }

    func query(_ sql: String, _ values: [StoreValue?], _ body: (any StoreRow) throws -> Void) throws {
        let result = try connection.execute(postgresText(sql), parameters(values))
        var row = Row(result: result, index: 0)
        for index in 0..<result.rowCount {
            row.index = index
            try body(row)
        }
    }

    func write<T>(_ body: () throws -> T) throws -> T {
        if depth > 0 { return try body() }
        depth += 1
        defer { depth -= 1 }
        return try connection.transaction {
            _ = try connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [.text("cadang.orders." + schema)])
            return try body()
        }
    }

    func read<T>(_ body: () throws -> T) throws -> T {
        if depth > 0 { return try body() }
        depth += 1
        defer { depth -= 1 }
        try connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let value = try body()
            try connection.run("COMMIT")
            return value
        } catch {
            try? connection.run("ROLLBACK")
            throw error
        }
    }

    func withImportLock<T>(order id: Int64, wait: Double, _ body: () throws -> T) throws -> T {
        // Two int4 keys: a key space apart from the writers' one-bigint lock.
        let key: [PostgresValue?] = [.text("cadang.import." + schema), .integer(id % Int64(Int32.max))]
        try connection.run("SET lock_timeout = \(max(1, Int(wait * 1000)))")
        do {
            _ = try connection.execute("SELECT pg_advisory_lock(hashtext($1), CAST($2 AS INTEGER))", key)
        } catch let error as PostgresError where error.sqlState == "55P03" {
            try? connection.run("SET lock_timeout = 0")
            throw ImportLockTimeout(store: location, seconds: wait)
        }
        try connection.run("SET lock_timeout = 0")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(hashtext($1), CAST($2 AS INTEGER))", key) }
        return try body()
    }

    func table(_ sql: String, _ values: [StoreValue?], schema: TableSchema) throws -> any TableReader {
        cursors += 1
        return try PostgresStoreTable(connection: connection, cursor: "cadang_store_\(cursors)", sql: postgresText(sql),
                                      values: parameters(values), schema: schema)
    }

    private struct Row: StoreRow {
        let result: PostgresResult
        var index: Int
        func text(_ column: Int) throws -> String? { result.string(index, column) }
        func integer(_ column: Int) throws -> Int64? { try result.int64(index, column) }
        func real(_ column: Int) throws -> Double? { try result.double(index, column) }
    }
}

/// A query's rows streamed through a cursor of the open read transaction, typed by the schema.
final class PostgresStoreTable: TableReader {
    let schema: TableSchema
    private let connection: PostgresConnection
    private let cursor: String
    private var result: PostgresResult?
    private var next = 0
    private var done = false

    init(connection: PostgresConnection, cursor: String, sql: String, values: [PostgresValue?], schema: TableSchema) throws {
        self.connection = connection
        self.schema = schema
        self.cursor = cursor
        try connection.execute("DECLARE \(cursor) NO SCROLL CURSOR FOR \(sql)", values)
    }

    func read(into batch: inout RowBatch) throws -> Bool {
        while !batch.isFull {
            if result == nil || next == result!.rowCount {
                if done { return false }
                let fetched = try connection.execute("FETCH FORWARD 4096 FROM \(cursor)")
                if fetched.rowCount < 4096 { done = true }
                result = fetched
                next = 0
                if fetched.rowCount == 0 { return false }
            }
            guard let result else { return false }
            for column in schema.columns.indices {
                if result.isNull(next, column) {
                    batch.appendNull()
                    continue
                }
                switch schema.columns[column].kind {
                case .integer?: batch.append(try result.int64(next, column) ?? 0)
                case .real?: batch.append(try result.double(next, column) ?? 0)
                default: result.withBytes(next, column) { bytes in batch.appendText(bytes ?? UnsafeRawBufferPointer(start: nil, count: 0)) }
                }
            }
            next += 1
        }
        return true
    }
}
