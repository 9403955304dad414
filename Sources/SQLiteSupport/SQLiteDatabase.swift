import CadangCore
import CSQLite
import Foundation

/// One connection to a SQLite file, through the C API.
public final class SQLiteDatabase {
    /// How to open a file.
    public enum Mode: Sendable {
        /// Read-only, taking the usual locks (for a live database).
        case readOnly
        /// Read-only without any locking, for a file nobody else writes (a snapshot).
        case immutable
        /// Read and write, creating the file if missing.
        case readWriteCreate
        /// Read and write an existing file (a live database being restored into).
        case readWrite
    }

    let handle: OpaquePointer
    /// The file's path, for messages.
    public let path: String

    /// Opens `path`. `busyTimeout` is how long to wait for another connection's lock, in seconds.
    public init(path: String, mode: Mode, busyTimeout: Double = 5) throws {
        self.path = path
        var pointer: OpaquePointer?
        let flags: Int32
        let name: String
        switch mode {
        case .readOnly:
            flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
            name = Self.uri(path)
        case .immutable:
            flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
            name = Self.uri(path) + "?immutable=1"
        case .readWriteCreate:
            flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI
            name = Self.uri(path)
        case .readWrite:
            flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI
            name = Self.uri(path)
        }
        let code = sqlite3_open_v2(name, &pointer, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let pointer else {
            let error = SQLiteError.make(code, pointer, path: path, action: "open")
            sqlite3_close_v2(pointer)
            throw error
        }
        handle = pointer
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(min(busyTimeout * 1000, Double(Int32.max))))
    }

    deinit { sqlite3_close_v2(handle) }

    /// A `file:` URI for a path (so `?immutable=1` can be added), with `%`, `?` and `#` escaped.
    static func uri(_ path: String) -> String {
        var escaped = ""
        for character in path.unicodeScalars {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "file:" + escaped
    }

    /// Runs SQL that returns no rows.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        sqlite3_free(message)
        if code != SQLITE_OK { throw SQLiteError.make(code, handle, path: path, action: "run '\(sql)' on") }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError.make(code, handle, path: path, action: "read")
        }
        return SQLiteStatement(statement, database: self)
    }

    /// The first column of every row of a query, as text.
    public func strings(_ sql: String) throws -> [String] {
        let statement = try prepare(sql)
        var result: [String] = []
        while try statement.step() { result.append(statement.string(0) ?? "") }
        return result
    }

    /// Copies the whole database to `destination` in one step of the online backup API: one read
    /// transaction, so the copy is one instant of the database even while the app writes.
    public func backup(to destination: String) throws {
        let target = try SQLiteDatabase(path: destination, mode: .readWriteCreate)
        guard let backup = sqlite3_backup_init(target.handle, "main", handle, "main") else {
            throw SQLiteError.make(sqlite3_errcode(target.handle), target.handle, path: destination, action: "start a snapshot into")
        }
        var code = sqlite3_backup_step(backup, -1)
        // The busy handler covers most waits; a lock held past it surfaces as BUSY here.
        var retries = 0
        while (code == SQLITE_BUSY || code == SQLITE_LOCKED) && retries < 3 {
            retries += 1
            usleep(100_000)
            code = sqlite3_backup_step(backup, -1)
        }
        let finish = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else { throw SQLiteError.make(code, handle, path: path, action: "snapshot") }
        guard finish == SQLITE_OK else { throw SQLiteError.make(finish, target.handle, path: destination, action: "write the snapshot") }
    }

    /// `PRAGMA quick_check`: the problems found, empty when the file is sound.
    public func quickCheck() throws -> [String] {
        let result = try strings("PRAGMA quick_check")
        return result == ["ok"] ? [] : result
    }

    /// Makes the statement running on this connection stop with `SQLITE_INTERRUPT`; safe from any thread.
    public func interrupt() { sqlite3_interrupt(handle) }

    /// Names of the user tables, in creation order (no `sqlite_` tables).
    public func tableNames() throws -> [String] {
        try strings("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")
    }

    /// Column names of a table, in declaration order.
    public func columnNames(of table: String) throws -> [String] {
        let statement = try prepare("SELECT name FROM pragma_table_info(?)")
        statement.bind(table, at: 1)
        var names: [String] = []
        while try statement.step() { names.append(statement.string(0) ?? "") }
        return names
    }

    /// `PRAGMA journal_mode` of the file.
    public func journalMode() throws -> String {
        try strings("PRAGMA journal_mode").first ?? "unknown"
    }
}

/// Quotes an SQL identifier.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
