import CadangCore
import Foundation
import PostgresSupport

/// The versioned order store of one `pos-orders` source (README "The store"): opens or creates its
/// tables, and is the only code that changes them — ingest, verify, cleanup — each change in one
/// durable transaction together with its events.
final class OrderStore {
    /// Where a store lives.
    enum Location: Sendable, Equatable {
        /// A SQLite file (default: `state/<source>/orders.db` in the repository).
        case sqlite(URL)
        /// A PostgreSQL database (libpq connection string) and the schema holding the tables.
        case postgres(conninfo: String, schema: String)
    }

    let database: any StoreDatabase
    let isPostgres: Bool

    /// Opens the store at `location`, creating its tables when they are missing.
    init(_ location: Location) throws {
        switch location {
        case .sqlite(let url):
            database = try Self.wrap { try SQLiteStoreDatabase(url: url) }
            isPostgres = false
        case .postgres(let conninfo, let schema):
            let postgres = try Self.wrap { try PostgresStoreDatabase(conninfo: conninfo, schema: schema) }
            database = postgres
            isPostgres = true
            try Self.wrap { try Self.createSchema(postgres) }
        }
        try Self.wrap { try prepareTables() }
    }

    /// Opens a store snapshot file (inside a set) without changing it.
    init(snapshot url: URL) throws {
        database = try Self.wrap { try SQLiteStoreDatabase(readingSnapshot: url) }
        isPostgres = false
    }

    private static func createSchema(_ database: PostgresStoreDatabase) throws {
        // A role without CREATE on the database can still use a schema made for it by its owner.
        var exists = false
        try database.query("SELECT 1 FROM pg_namespace WHERE nspname = ?", [.text(database.schema)]) { _ in exists = true }
        if !exists { try database.execute("CREATE SCHEMA IF NOT EXISTS \(database.schema)", []) }
    }

    private func prepareTables() throws {
        var version: String?
        let hasMeta = try tableExists("store_meta")
        if hasMeta {
            try database.query("SELECT value FROM store_meta WHERE name = 'schema_version'", []) { version = try $0.text(0) }
        }
        if let version {
            guard var number = Int(version), number <= StoreSchema.version, StoreSchema.upgrades[number] != nil || number == StoreSchema.version else {
                throw CadangError(.usage, "order store \(database.location) has schema version \(version); this cadang knows \(StoreSchema.version)",
                                  fix: "use the cadang version that wrote it")
            }
            while number < StoreSchema.version, let statements = StoreSchema.upgrades[number] {
                try database.write {
                    // Another process may have upgraded it meanwhile: the version is read again under the lock.
                    var current: String?
                    try database.query("SELECT value FROM store_meta WHERE name = 'schema_version'", []) { current = try $0.text(0) }
                    guard current == String(number) else { return }
                    for statement in statements { try database.execute(statement, []) }
                    try database.execute("UPDATE store_meta SET value = ? WHERE name = 'schema_version'", [.text(String(number + 1))])
                }
                number += 1
            }
            return
        }
        try database.write {
            for statement in StoreSchema.statements(postgres: isPostgres) { try database.execute(statement, []) }
            try database.execute("INSERT INTO store_meta (name, value) VALUES ('schema_version', ?) ON CONFLICT (name) DO NOTHING",
                                 [.text(String(StoreSchema.version))])
        }
    }

    private func tableExists(_ name: String) throws -> Bool {
        var found = false
        if let postgres = database as? PostgresStoreDatabase {
            try database.query("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                               [.text(postgres.schema), .text(name)]) { _ in found = true }
        } else {
            try database.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]) { _ in found = true }
        }
        return found
    }

    /// Runs `body`, turning database errors into one-line errors naming the store.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw error.cadangError
        }
    }

    /// `condition` as an expression no index can serve, so that beside `key IN (…)` the planner
    /// finds rows by their primary key and only filters them with it (both databases).
    static func filterOnly(_ condition: String) -> String {
        "(CASE WHEN \(condition) THEN 1 ELSE 0 END) = 1"
    }

    /// Now, as the store writes times: UTC `YYYY-MM-DD HH:MM:SS`.
    static func timestamp(_ date: Date = Date()) -> String {
        OdooTimestamp.format(secondsSinceEpoch: Int(date.timeIntervalSince1970.rounded(.down)))
    }
}
