import Foundation
import PostgresSupport
import POSTestSupport
import XCTest

/// `cadang run` of a pos-orders job through the shipped binary: the contract's examples, re-runs,
/// and SIGKILLs during ingest, on the SQLite store and on PostgreSQL.
final class POSIngestTests: XCTestCase {
    /// The contract's examples, copied into the repository.
    private static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/pos-examples")
    private static let generator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/pos-sample-payloads")

    private func workspace(store: String? = nil) throws -> Workspace {
        let storeLine = store.map { ", store: \"\($0)\"" } ?? ""
        let workspace = try Workspace(config: """
            repository: ./backups
            sources:
              pos: { plugin: pos-orders, inbox: [./inbox], timezone: Asia/Jakarta\(storeLine) }
            sinks:
              json: { plugin: json }
              csv: { plugin: csv }
            jobs:
              pos: { sources: [pos], sinks: [json, csv] }
            """)
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        return workspace
    }

    private struct RunReport: Decodable {
        struct POS: Decodable {
            struct Rejected: Decodable {
                var file: String
                var item: Int?
                var reason: String
            }
            var read: Int
            var stored: Int
            var unchanged: Int
            var new_versions: Int
            var rejected: [Rejected]
        }
        var job: String
        var exitCode: Int32
        var pos: POS?
    }

    private func run(_ workspace: Workspace) throws -> (status: Int32, report: RunReport.POS) {
        let result = try CLI.cadang.run(["run", "pos", "--json"], in: workspace.url)
        let reports = try JSONDecoder().decode([RunReport].self, from: Data(result.stdout.utf8))
        let pos = try XCTUnwrap(reports.first?.pos, result.stdout + result.stderr)
        return (result.status, pos)
    }

    private func generate(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = Self.generator
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "pos-sample-payloads \(arguments)")
    }

    func testExamplesAndBrokenInputAreStoredOrRejectedAsTheContractSays() throws {
        let workspace = try workspace()
        let inbox = workspace.url.appendingPathComponent("inbox")
        for name in ["odoo18-offline-order.json", "odoo18-online-order.json", "odoo17-export-order.json", "indexeddb-export.json"] {
            try FileManager.default.copyItem(at: Self.examples.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
        }
        // JSON Lines with a broken line in the middle, an item without identity, invalid UTF-8, an
        // oversized item, and a file that is not JSON.
        var lines = Data("{\"uuid\": \"jl-1\", \"name\": \"Order 00007-001-0001\", \"lines\": []}\n{\"uuid\": broken\n".utf8)
        lines += Data("{\"note\": \"no identity\"}\n".utf8)
        lines += Data("{\"uuid\": \"jl-2\", \"name\": \"Order 00007-001-0002\", \"note\": \"".utf8) + Data([0xFF, 0xFE]) + Data("\"}\n".utf8)
        lines += Data("{\"uuid\": \"jl-3\", \"note\": \"\(String(repeating: "x", count: 2_000_000))\"}\n".utf8)
        lines += Data("{\"uuid\": \"jl-4\", \"name\": \"Order 00007-001-0004\"}\n".utf8)
        try lines.write(to: inbox.appendingPathComponent("tills.jsonl"))
        try Data("this is not JSON at all".utf8).write(to: inbox.appendingPathComponent("notes.txt"))

        let (status, report) = try run(workspace)
        XCTAssertEqual(status, 3, "rejections make the run partial")
        // offline + online (a new version) + ≤17 + the wrapper's two records (one is the offline
        // order again) + jl-1, jl-4.
        XCTAssertEqual(report.stored, 5)
        XCTAssertEqual(report.new_versions, 1)
        XCTAssertEqual(report.unchanged, 1)
        let reasons = report.rejected.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent)#\($0.item.map(String.init) ?? "-")" }
        XCTAssertEqual(Set(reasons), ["tills.jsonl#1", "tills.jsonl#2", "tills.jsonl#3", "tills.jsonl#4", "notes.txt#-"], "\(report.rejected)")
        XCTAssertTrue(report.rejected.allSatisfy { !$0.reason.isEmpty })

        // The set holds the datasets with the contract's columns.
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).last)
        let names = Set(set.artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent })
        XCTAssertTrue(names.isSuperset(of: ["orders.json", "orders.csv", "order_lines.json", "payments.json", "events.json", "orders.db"]), "\(names)")
        let orders = try Independent.python("""
            import json, sys
            rows = json.load(open(sys.argv[1]))
            print(len(rows)); print(','.join(rows[0].keys()))
            print(sorted(r['versions'] for r in rows))
            """, [workspace.repository.appendingPathComponent("sets/\(set.id)/orders.json").path]).split(separator: "\n")
        XCTAssertEqual(orders[0], "5")
        XCTAssertEqual(orders[1], "key,uuid,access_token,pos_reference,name,session_id,config_id,company_id,user_id,partner_id,order_date,captured_at,received_at,amount_total,amount_tax,amount_paid,amount_return,lines,payments,state,versions,content_sha256,last_checked_at,matched_order_id,verified_at,imported_at,imported_by,last_error")
        XCTAssertEqual(orders[2], "[1, 1, 1, 1, 2]")
        XCTAssertEqual(try CLI.cadang.run(["verify", "pos"], in: workspace.url).status, 0, "the set, store snapshot included, verifies")

        // Nothing new: nothing is read again.
        let (again, second) = try run(workspace)
        XCTAssertEqual(again, 0)
        XCTAssertEqual([second.read, second.stored, second.unchanged, second.new_versions, second.rejected.count], [0, 0, 0, 0, 0])
        // A touched file is read again and finds everything unchanged.
        let offline = inbox.appendingPathComponent("odoo18-offline-order.json")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: offline.path)
        let (_, third) = try run(workspace)
        XCTAssertEqual([third.read, third.stored, third.unchanged], [1, 0, 1])
        XCTAssertEqual(try Independent.mode(workspace.repository.appendingPathComponent("state/pos/orders.db").path) & 0o077, 0)
    }

    // MARK: SIGKILL during ingest

    /// 30 runs each get a new file and are killed at a random point; then every order is there
    /// exactly once, with exactly its versions and one event per version.
    private func killDuringIngest(store: String?, check: (Workspace) throws -> [String: Int]) throws {
        let workspace = try workspace(store: store)
        let inbox = workspace.url.appendingPathComponent("inbox")
        let files = 30, perFile = 667, copies = 60
        try generate(["--orders", "\(perFile)", "--shape", "jsonl", "--seed", "1000", "--online-copies", "\(copies)",
                      "--out", inbox.appendingPathComponent("till-00.jsonl").path])
        let started = Date()
        XCTAssertEqual(try run(workspace).status, 0)
        let duration = Date().timeIntervalSince(started)
        var generator = SystemRandomNumberGenerator()
        var killedMidRun = 0
        for index in 1..<files {
            try generate(["--orders", "\(perFile)", "--shape", index % 3 == 0 ? "array" : "jsonl", "--seed", "\(1000 + index)",
                          "--online-copies", "\(copies)", "--out", inbox.appendingPathComponent(String(format: "till-%02d.jsonl", index)).path])
            let process = try CLI.cadang.start(["run", "pos"], in: workspace.url)
            usleep(useconds_t(Double.random(in: 0.05...(duration * 1.2), using: &generator) * 1_000_000))
            if process.isRunning { killedMidRun += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        XCTAssertGreaterThan(killedMidRun, 20, "most kills should land while the run is working")
        let (status, _) = try run(workspace)
        XCTAssertEqual(status, 0)
        let counts = try check(workspace)
        XCTAssertEqual(counts["orders"], files * perFile)
        XCTAssertEqual(counts["versions"], files * (perFile + copies))
        XCTAssertEqual(counts["events"], files * (perFile + copies), "one event per version, none twice")
        XCTAssertEqual(counts["mismatched"], 0, "every order's versions column counts its versions")
        XCTAssertEqual(counts["twoVersions"], files * copies)
        let (_, again) = try run(workspace)
        XCTAssertEqual(again.read, 0, "every file is recorded once it is whole")
    }

    private static let countsSQL = [
        "orders": "SELECT count(*) FROM orders",
        "versions": "SELECT count(*) FROM order_versions",
        "events": "SELECT count(*) FROM events",
        "mismatched": "SELECT count(*) FROM orders o WHERE o.versions <> (SELECT count(*) FROM order_versions v WHERE v.order_id = o.id)",
        "twoVersions": "SELECT count(*) FROM orders WHERE versions = 2",
    ]

    func testSIGKILLDuringIngestLosesAndDuplicatesNothingOnSQLite() throws {
        try killDuringIngest(store: nil) { workspace in
            let database = workspace.repository.appendingPathComponent("state/pos/orders.db").path
            let output = try Independent.python("""
                import json, sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                print(json.dumps({k: db.execute(q).fetchone()[0] for k, q in json.loads(sys.argv[2]).items()}))
                """, [database, String(decoding: try JSONEncoder().encode(Self.countsSQL), as: UTF8.self)])
            return try JSONDecoder().decode([String: Int].self, from: Data(output.utf8))
        }
    }

    func testSIGKILLDuringIngestLosesAndDuplicatesNothingOnPostgreSQL() throws {
        let database = try TestPostgres.makeDatabase("kill")
        defer { try? database.drop() }
        try killDuringIngest(store: database.conninfo) { _ in
            let connection = try PostgresConnection(database.conninfo)
            defer { connection.close() }
            try connection.run("SET search_path TO cadang")
            var counts: [String: Int] = [:]
            for (name, sql) in Self.countsSQL {
                counts[name] = Int(try connection.execute(sql).int64(0, 0) ?? -1)
            }
            return counts
        }
    }
}
