import Foundation
import POSTestSupport
import XCTest

/// 20 tills posting 50,000 orders in batches of 100 over loopback, the server SIGKILLed once in the
/// middle and started again on the same port: every order answered `stored` is in the store
/// exactly once, with one version, and nothing answered is missing.
final class ServeLoadTests: XCTestCase {
    static let client = KasirTests.repositoryRoot.appendingPathComponent("Tests/ServeLoad/load_client.py")

    func testAnsweredOrdersSurviveAKillUnderLoad() throws {
        let workspace = try Workspace(config: """
            repository: ./backups
            sources:
              pos: { plugin: pos-orders, timezone: Asia/Jakarta }
            jobs:
              pos: { sources: [pos], sinks: [] }
            serve:
              listen: 127.0.0.1:0
              tokens: { ingest: "${CADANG_INGEST_TOKEN}", manager: "${CADANG_MANAGER_TOKEN}" }
              duties: { sync: off, verify: off, cleanup: off }
            """)
        let template = ImportWorkspace.examples.appendingPathComponent("odoo18-offline-order.json")
        var server = try ServeProcess(in: workspace.url)
        let port = try XCTUnwrap(server.url.port)
        let total = 50_000

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.client.path, server.url.absoluteString, ServeProcess.ingestToken, template.path,
                             String(total), "20", "100"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = ReadAll(output.fileHandleForReading)

        // Killed once a third of the orders are in, mid-request for most of the 20 tills.
        let store = workspace.repository.appendingPathComponent("state/pos/orders.db")
        let deadline = Date().addingTimeInterval(300)
        while (FileManager.default.fileExists(atPath: store.path) ? try Self.count(store) : 0) < total / 3 {
            XCTAssertLessThan(Date(), deadline, "the load did not reach a third in 300 s")
            guard Date() < deadline, process.isRunning else { break }
            usleep(100_000)
        }
        let firstLog = server.log
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        let atKill = try Self.count(store)
        usleep(500_000)
        server = try ServeProcess(in: workspace.url, arguments: ["--listen", "127.0.0.1:\(port)"])
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)

        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: printed.data) as? [String: Any])
        XCTAssertEqual(result["errors"] as? [String], [])
        let answers = try XCTUnwrap(result["answers"] as? [String: [String]])
        XCTAssertEqual(answers.count, total, "every order was answered")
        XCTAssertTrue(answers.values.allSatisfy { $0.allSatisfy { ["stored", "unchanged"].contains($0) } },
                      "a resent batch is stored or unchanged, never a new version")
        XCTAssertGreaterThan(result["retries"] as? Int ?? 0, 0, "the kill cut requests off: \(atKill) orders were in")
        XCTAssertLessThan(atKill, total)

        // In the store: each answered order once, with exactly one version.
        let rows = try Independent.python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("SELECT count(*), count(DISTINCT key) FROM orders").fetchone())
            print(db.execute("SELECT count(*) FROM order_versions").fetchone()[0])
            print(db.execute("SELECT count(*) FROM (SELECT order_id FROM order_versions GROUP BY order_id HAVING count(*) <> 1)").fetchone()[0])
            print(db.execute("PRAGMA integrity_check").fetchone()[0])
            """, [store.path]).split(separator: "\n").map(String.init)
        XCTAssertEqual(rows, ["(\(total), \(total))", String(total), "0", "ok"])
        if rows.first != "(\(total), \(total))" {
            let stored = Set(try Independent.python("""
                import sqlite3, sys
                for (key,) in sqlite3.connect(sys.argv[1]).execute("SELECT key FROM orders"): print(key)
                """, [store.path]).split(separator: "\n").map(String.init))
            let lost = answers.filter { !stored.contains($0.key) }.sorted { $0.key < $1.key }
            XCTFail("answered but not stored: \(lost.count), e.g. \(lost.prefix(5)); at the kill \(atKill); first server's log: \(firstLog.suffix(2000)); second's: \(server.log.suffix(2000))")
        }
        XCTAssertEqual(server.stop(), 0)
    }

    private static func count(_ store: URL) throws -> Int {
        Int(try Independent.python("""
            import sqlite3, sys
            print(sqlite3.connect(sys.argv[1], timeout=10).execute("SELECT count(*) FROM orders").fetchone()[0])
            """, [store.path]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}

/// A pipe read to its end on a thread of its own, so the writer never blocks on a full pipe.
final class ReadAll: @unchecked Sendable {
    private var collected = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            collected = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Everything, once the writer closed the pipe.
    var data: Data {
        done.wait()
        done.signal()
        return collected
    }
}
