import Foundation
import POSTestSupport
import XCTest

/// A pos-orders job whose store holds orders Odoo lacks, for the import tests: the shipped binary,
/// the stand-in Odoo, and the store in SQLite or in a PostgreSQL database of its own.
final class ImportWorkspace {
    let workspace: Workspace
    let standIn: OdooStandIn
    /// The PostgreSQL store's database, when the store is not SQLite.
    let storeDatabase: TestDatabase?
    let environment: [String: String]

    /// The contract's examples, copied into the repository.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/pos-examples")

    /// A workspace on `standIn`; `store` is a PostgreSQL store's connection string (shared with
    /// other workspaces: two machines), nil for SQLite in the repository.
    init(_ standIn: OdooStandIn, user: OdooStandIn.User = .cashier, store: TestDatabase? = nil, storeConninfo: String? = nil,
         timeout: String = "20s", resendAfter: String = "2s", extra: String = "",
         extraSources: String = "", extraSinks: String = "") throws {
        self.standIn = standIn
        storeDatabase = store
        let storeLine = (storeConninfo ?? store?.conninfo).map { "    store: \"\($0)\"\n" } ?? ""
        workspace = try Workspace(config: """
            repository: ./backups
            sources:
              pos:
                plugin: pos-orders
                inbox: [./inbox]
                timezone: Asia/Jakarta
            \(storeLine)    odoo: { url: "\(standIn.url.absoluteString)", database: \(standIn.databaseName), user: "\(user.login)", api_key: "${ODOO_API_KEY}", timeout: \(timeout), resend_after: \(resendAfter) }
            \(extraSources)sinks:
              json: { plugin: json }
            \(extraSinks)jobs:
              pos: { sources: [pos], sinks: [json] }
            \(extra)
            """)
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        environment = ["ODOO_API_KEY": user.apiKey]
    }

    /// The offline example as order `number`: its own uuid, token and reference, and the changes
    /// given (`"session_id": 42` → …), made on the text so every number keeps its digits.
    static func offlineOrder(_ number: Int, replacing changes: [String: String] = [:]) throws -> String {
        var text = try String(contentsOf: examples.appendingPathComponent("odoo18-offline-order.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11", with: uuid(number))
            .replacingOccurrences(of: "5f1c2c1e-7b0e-4d0b-9b7c-2f4e8a9c1d33", with: String(format: "10000000-0000-4000-8000-%012d", number))
            .replacingOccurrences(of: "00042-003-0017", with: String(format: "00042-003-%04d", number))
        for (old, new) in changes {
            guard text.contains(old) else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSDebugDescriptionErrorKey: "no \(old) in the example"]) }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }

    /// The online example (no lines) as order `number`.
    static func onlineOrder(_ number: Int) throws -> String {
        try String(contentsOf: examples.appendingPathComponent("odoo18-online-order.json"), encoding: .utf8)
            .replacingOccurrences(of: "a3f0c8e2-4e3b-4a3a-9f55-2b6f7d0e9c11", with: uuid(number))
            .replacingOccurrences(of: "00042-003-0017", with: String(format: "00042-003-%04d", number))
    }

    /// Order `number`'s uuid (its key in the store).
    static func uuid(_ number: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", number) }

    /// Writes `orders` into the inbox as one JSON array file and runs the job: the orders are
    /// stored and, Odoo lacking them, missing.
    func ingest(_ orders: [String], file: String = "orders.json") throws {
        try Data(("[" + orders.joined(separator: ",\n") + "]").utf8).write(to: workspace.url.appendingPathComponent("inbox/\(file)"))
        let run = try cadang(["run", "pos"])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    /// Runs cadang in the workspace.
    @discardableResult
    func cadang(_ arguments: [String], input: String? = nil) throws -> CLI.Result {
        try CLI.cadang.run(arguments, in: workspace.url, environment: environment, input: input)
    }

    /// Starts cadang without waiting.
    func start(_ arguments: [String]) throws -> Process {
        try CLI.cadang.start(arguments, in: workspace.url, environment: environment)
    }

    /// `key|state|matched_order_id|last_error`, by key, read from the store by psql or Python.
    func orders() throws -> [String: [String]] {
        let sql = "SELECT key, state, COALESCE(CAST(matched_order_id AS TEXT), ''), COALESCE(last_error, '') FROM orders ORDER BY key"
        let lines: [String]
        if let storeDatabase {
            lines = try PSQL.run("SET search_path TO cadang; " + sql, conninfo: storeDatabase.conninfo)
        } else {
            lines = try Independent.python("""
                import sqlite3, sys
                for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
                    print('|'.join(str(value) for value in row))
                """, [workspace.repository.appendingPathComponent("state/pos/orders.db").path, sql])
                .split(separator: "\n").map(String.init)
        }
        var result: [String: [String]] = [:]
        for line in lines {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            result[parts[0]] = Array(parts.dropFirst())
        }
        return result
    }

    /// The events of one order: `from>to: reason`, oldest first.
    func events(_ key: String) throws -> [String] {
        let sql = "SELECT from_state, to_state, reason FROM events WHERE key = '\(key)' ORDER BY id"
        if let storeDatabase {
            return try PSQL.run("SET search_path TO cadang; " + sql, conninfo: storeDatabase.conninfo).map { line in
                let parts = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
                return "\(parts[0])>\(parts[1]): \(parts[2])"
            }
        }
        return try Independent.python("""
            import sqlite3, sys
            for a, b, reason in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
                print(f'{a}>{b}: {reason}')
            """, [workspace.repository.appendingPathComponent("state/pos/orders.db").path, sql])
            .split(separator: "\n").map(String.init)
    }

    /// How many rows Odoo's pos_order holds for each uuid it has.
    func odooCopies() throws -> [String: Int] {
        var copies: [String: Int] = [:]
        for line in try standIn.execute("SELECT uuid, count(*) FROM pos_order GROUP BY uuid") {
            let parts = line.split(separator: "|")
            copies[String(parts[0])] = Int(parts[1])
        }
        return copies
    }
}

/// `restore --json`'s report under the source's name.
struct ImportOutput: Decodable {
    struct POS: Decodable {
        struct Imported: Decodable {
            var key: String
            var version: Int
            var odoo_id: Int
            var session_id: Int?
        }

        struct Duplicate: Decodable {
            var key: String
            var odoo_id: Int
        }

        struct Failed: Decodable {
            var key: String
            var reason: String
        }

        struct Planned: Decodable {
            var key: String
            var version: Int
        }

        var imported: [Imported]?
        var duplicate: [Duplicate]?
        var error: [Failed]?
        var skipped: [Failed]?
        var orders: [String]
        var dry_run: Bool?
        var send: [Planned]?
        var refuse: [Failed]?
    }

    var pos: POS

    static func decode(_ result: CLI.Result) throws -> POS {
        do {
            return try JSONDecoder().decode(ImportOutput.self, from: Data(result.stdout.utf8)).pos
        } catch {
            XCTFail("not restore --json output: \(result.stdout) \(result.stderr)")
            throw error
        }
    }
}
