import CadangCore
import Foundation
import SQLiteSupport

/// The order store in a SQLite file (the default: `state/<source>/orders.db` in the repository).
///
/// WAL with `synchronous=FULL`, so a committed write survives a power cut and readers (stats, the
/// run's export) never block the ingest. Writers take `BEGIN IMMEDIATE`, which queues them on
/// SQLite's own lock (the busy timeout) instead of failing half-way through a transaction.
final class SQLiteStoreDatabase: StoreDatabase {
    let database: SQLiteDatabase
    let location: String
    /// Compiled statements by their text: ingest runs the same few thousands of times.
    private var statements: [String: SQLiteStatement] = [:]
    private var depth = 0
    /// The `.import-lock` file, opened on first use.
    private var importLock: Int32 = -1

    /// Opens (creating when missing) the store file at `url`.
    init(url: URL, busyTimeout: Double = 30) throws {
        location = url.path
        try Self.createIfMissing(url)
        database = try SQLiteDatabase(path: url.path, mode: .readWriteCreate, busyTimeout: busyTimeout)
        // A version's payload is a few KB: on SQLite's 4 KB pages one fits per page and a third of
        // the file is slack; 16 KB pages hold five, so ingest writes (and the WAL copies) far less.
        // Only a new, empty file takes it; an existing store keeps its page size.
        try database.execute("PRAGMA page_size=16384")
        try database.execute("PRAGMA journal_mode=WAL")
        try database.execute("PRAGMA synchronous=FULL")
        // Keys are uuids, so every batch touches pages all over the indexes: a larger cache than
        // SQLite's 2 MB, still well inside the 100 MB a big ingest may use.
        try database.execute("PRAGMA cache_size=-16384")
        try database.execute("PRAGMA foreign_keys=OFF")
    }

    /// Serialises the creation of a new store file among this process's threads.
    private static let creation = NSLock()

    /// Creates the store file, 0600 (customers' names and phone numbers; its -wal and -shm take the
    /// same mode), when there is none. An existing file is never opened here: closing any
    /// descriptor of a SQLite file drops every POSIX lock this process holds on it — other
    /// connections' included — and another process may then checkpoint the WAL under them and
    /// lose committed orders (SQLite's "How To Corrupt", 2.2; seen under load with a reader beside).
    private static func createIfMissing(_ url: URL) throws {
        try creation.withLock {
            guard access(url.path, F_OK) != 0 else { return }
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
            } else if errno != EEXIST {
                throw CadangError.system("create", url.path, errno: errno)
            }
        }
    }

    /// Opens the live store file read-only, beside its writer (WAL readers see one commit);
    /// `mapped` reads it through a memory map (see `mapForReading`).
    init(readingLive url: URL, mapped: Bool = false) throws {
        location = url.path
        database = try SQLiteDatabase(path: url.path, mode: .readOnly)
        if mapped { try Self.mapForReading(database) }
    }

    /// Opens an existing store file read-only (a snapshot inside a set, or stats without a lock).
    init(readingSnapshot url: URL) throws {
        location = url.path
        database = try SQLiteDatabase(path: url.path, mode: .immutable)
        try Self.mapForReading(database)
    }

    /// Stats scan whole tables: reading them through a memory map instead of `pread` into SQLite's
    /// small cache saves a copy of every page (most of a stats run's time). The mapped pages are
    /// the kernel's file cache, yet they count in the process's RSS, so a run's export (which
    /// streams a table once, beside an ingest that must stay under 100 MB) reads with plain I/O.
    private static func mapForReading(_ database: SQLiteDatabase) throws {
        try database.execute("PRAGMA mmap_size=1073741824")
    }

    deinit {
        if importLock >= 0 { close(importLock) }
    }

    private func statement(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try database.prepare(sql)
        // Multi-row inserts of odd sizes would grow the cache without bound.
        if statements.count < 64 { statements[sql] = statement }
        return statement
    }

    private func bind(_ statement: SQLiteStatement, _ values: [StoreValue?]) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case nil: statement.bindNull(at: index)
            case .text(let text)?: statement.bind(text, at: index)
            case .integer(let integer)?: statement.bind(integer, at: index)
            case .real(let real)?: statement.bind(real, at: index)
            }
        }
    }

    @discardableResult
    func execute(_ sql: String, _ values: [StoreValue?]) throws -> Int {
        let statement = try statement(sql)
        defer { statement.reset() }
        bind(statement, values)
        return try statement.run()
    }

    func query(_ sql: String, _ values: [StoreValue?], _ body: (any StoreRow) throws -> Void) throws {
        let statement = try statement(sql)
        defer { statement.reset() }
        bind(statement, values)
        let row = Row(statement: statement)
        while try statement.step() { try body(row) }
    }

    func write<T>(_ body: () throws -> T) throws -> T {
        try transaction("BEGIN IMMEDIATE", body)
    }

    func read<T>(_ body: () throws -> T) throws -> T {
        try transaction("BEGIN", body)
    }

    private func transaction<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        if depth > 0 { return try body() }
        try database.execute(begin)
        depth += 1
        defer { depth -= 1 }
        let value: T
        do {
            value = try body()
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
        try database.execute("COMMIT")
        return value
    }

    func withImportLock<T>(order id: Int64, wait: Double, _ body: () throws -> T) throws -> T {
        if importLock < 0 {
            importLock = open(location + ".import-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard importLock >= 0 else { throw CadangError.system("create", location + ".import-lock", errno: errno) }
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(importLock, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw CadangError.system("lock", location + ".import-lock", errno: errno) }
            guard Date() < deadline else { throw ImportLockTimeout(store: location, seconds: wait) }
            usleep(20_000)
        }
        defer { flock(importLock, LOCK_UN) }
        return try body()
    }

    func table(_ sql: String, _ values: [StoreValue?], schema: TableSchema) throws -> any TableReader {
        // Its own statement: the reader outlives this call and must not share a cached one.
        let statement = try database.prepare(sql)
        bind(statement, values)
        return SQLiteTableReader(schema: schema, statement: statement)
    }

    private struct Row: StoreRow {
        let statement: SQLiteStatement
        func text(_ column: Int) throws -> String? { statement.string(column) }
        func integer(_ column: Int) throws -> Int64? { statement.isNull(column) ? nil : statement.int64(column) }
        func real(_ column: Int) throws -> Double? { statement.isNull(column) ? nil : statement.double(column) }
    }
}
