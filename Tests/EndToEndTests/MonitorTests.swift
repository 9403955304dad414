import Foundation
import XCTest

/// Monitors (ops §2) against a loopback recorder: the requests for every state, and a server that
/// never answers leaves the exit code alone.
final class MonitorTests: XCTestCase {
    /// `Tests/MonitorRecorder/recorder.py`, running for `lifetime` seconds.
    final class Recorder {
        let process = Process()
        let log: URL
        let port: Int

        init(in folder: URL, lifetime: Int = 120) throws {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("MonitorRecorder/recorder.py")
            let portFile = folder.appendingPathComponent("recorder.port")
            log = folder.appendingPathComponent("recorder.log")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, portFile.path, log.path, String(lifetime)]
            try process.run()
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: portFile.path) { usleep(25_000) }
            port = try XCTUnwrap(Int(String(contentsOf: portFile, encoding: .utf8)), "the recorder did not start")
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        struct Request: Decodable {
            var method: String
            var path: String
            var body: String
            var content_type: String?
            var authorization: String?

            var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        }

        /// Every request so far, in order; `drain` forgets them afterwards.
        func requests(drain: Bool = true) throws -> [Request] {
            guard let data = FileManager.default.contents(atPath: log.path) else { return [] }
            if drain { try Data().write(to: log) }
            return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Request.self, from: Data($0)) }
        }
    }

    func config(port: Int, monitors: String? = nil) -> String {
        let base = "http://127.0.0.1:\(port)"
        return """
        repository: ./backups
        sources:
          gen: { plugin: sample, rows: 5, tables: [items] }
          warn: { plugin: sample, rows: 5, tables: [items], skip_one: true }
          broken: { plugin: sample, rows: 3000, tables: [items], fail_after: 1500 }
        sinks:
          json: { plugin: json }
          usb: { plugin: targz, path: ./not-mounted, require_mount: true }
        monitors:
        \(monitors ?? """
          - { plugin: healthchecks, url: "\(base)/hc/${HC_UUID}" }
          - { plugin: ntfy, server: "\(base)/", topic: "${NTFY_TOPIC}", states: [fail, partial, skipped] }
          - { plugin: webhook, url: "\(base)/hook", states: [fail, success], headers: { Authorization: "Bearer ${HOOK_TOKEN}" } }
        """)
        jobs:
          ok: { sources: [gen], sinks: [json] }
          away: { sources: [gen], sinks: [usb] }
          partial: { sources: [warn], sinks: [json] }
          bad: { sources: [broken], sinks: [json] }
        """
    }

    static let environment = ["HC_UUID": "0b1f-uuid", "NTFY_TOPIC": "toko-maju-7f3a", "HOOK_TOKEN": "s3cret-hook-token"]

    func testMonitorsGetTheRequestsOfEveryState() throws {
        let workspace = try Workspace()
        let recorder = try Recorder(in: workspace.url)
        try workspace.write("cadang.yaml", config(port: recorder.port))
        func run(_ job: String, status: Int32) throws -> [Recorder.Request] {
            let result = try CLI.harness.run(["run", job], in: workspace.url, environment: Self.environment)
            XCTAssertEqual(result.status, status, result.stdout + result.stderr)
            XCTAssertFalse(result.stderr.contains("s3cret-hook-token") || result.stderr.contains("toko-maju-7f3a"), "no secret in the log")
            return try recorder.requests()
        }

        // Success: healthchecks /start then the plain address; the webhook's JSON; no ntfy.
        let success = try run("ok", status: 0)
        let listed = try CLI.harness.run(["list", "--json"], in: workspace.url, environment: Self.environment)
        let set = try XCTUnwrap(try JSONDecoder().decode([ListedSet].self, from: Data(listed.stdout.utf8)).first)
        XCTAssertEqual(success.map(\.path), ["/hc/0b1f-uuid/start", "/hc/0b1f-uuid", "/hook"])
        XCTAssertTrue(success[1].body.contains("berhasil"), success[1].body)
        let summary = success[2].json
        XCTAssertEqual(summary["job"] as? String, "ok")
        XCTAssertEqual(summary["status"] as? String, "success")
        XCTAssertEqual(summary["exit_code"] as? Int, 0)
        XCTAssertEqual(summary["set_id"] as? String, set.id)
        XCTAssertEqual(success[2].content_type, "application/json")
        XCTAssertEqual(success[2].authorization, "Bearer s3cret-hook-token")

        // Skipped (the drive is away, exit 75): healthchecks /log, so a drive that stays away trips the check; ntfy.
        let skipped = try run("away", status: 75)
        XCTAssertEqual(skipped.map(\.path), ["/hc/0b1f-uuid/start", "/hc/0b1f-uuid/log", "/"])
        let push = skipped[2].json
        XCTAssertEqual(push["topic"] as? String, "toko-maju-7f3a")
        XCTAssertEqual(push["title"] as? String, "Cadang: cadangan 'away' dilewati")
        XCTAssertNotNil(push["message"] as? String)

        // Partial: the plain address with a warning body; ntfy.
        let partial = try run("partial", status: 3)
        XCTAssertEqual(partial.map(\.path), ["/hc/0b1f-uuid/start", "/hc/0b1f-uuid", "/"])
        XCTAssertTrue(partial[1].body.hasPrefix("PERINGATAN"), partial[1].body)
        XCTAssertEqual(partial[2].json["title"] as? String, "Cadang: cadangan 'partial' selesai dengan peringatan")

        // Failure: /<exit code>; ntfy at top priority; the webhook with the error.
        let failure = try run("bad", status: 1)
        XCTAssertEqual(failure.map(\.path), ["/hc/0b1f-uuid/start", "/hc/0b1f-uuid/1", "/", "/hook"])
        XCTAssertEqual(failure[2].json["priority"] as? Int, 5)
        XCTAssertEqual(failure[2].json["title"] as? String, "Cadang: cadangan 'bad' GAGAL")
        XCTAssertEqual(failure[3].json["status"] as? String, "fail")
        XCTAssertEqual(failure[3].json["exit_code"] as? Int, 1)
        XCTAssertNotNil(failure[3].json["error"] as? String)
    }

    func testAMonitorThatNeverAnswersOrFailsLeavesTheExitCodeAlone() throws {
        let workspace = try Workspace()
        let recorder = try Recorder(in: workspace.url)
        let base = "http://127.0.0.1:\(recorder.port)"
        try workspace.write("cadang.yaml", config(port: recorder.port, monitors: """
              - { plugin: healthchecks, url: "\(base)/never/uuid", timeout: 1s }
              - { plugin: webhook, url: "\(base)/fail/hook", timeout: 1s }
            """))
        for (job, status) in [("ok", Int32(0)), ("partial", 3), ("bad", 1)] {
            let started = Date()
            let result = try CLI.harness.run(["run", job], in: workspace.url, environment: Self.environment)
            XCTAssertEqual(result.status, status, "\(job): \(result.stdout) \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("could not report to 127.0.0.1 after 3 tries"), result.stderr)
            XCTAssertFalse(result.stderr.contains("uuid"), "the ping address is not logged: \(result.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 30, "each try is cut off at its timeout")
        }
        let requests = try recorder.requests()
        XCTAssertEqual(requests.filter { $0.path == "/never/uuid/start" }.count, 9, "3 tries of start for each of 3 runs")
        XCTAssertEqual(requests.filter { $0.path == "/fail/hook" }.count, 9, "3 tries for each run")
    }

    func testMonitorsAreListedAndTheirOptionsChecked() throws {
        let listed = try CLI.cadang.run(["plugins"], in: FileManager.default.temporaryDirectory)
        XCTAssertTrue(listed.stdout.contains("monitors:"), listed.stdout)
        for name in ["healthchecks", "ntfy", "webhook"] { XCTAssertTrue(listed.stdout.contains("  \(name) — "), name) }
        let workspace = try Workspace()
        try workspace.write("cadang.yaml", config(port: 1, monitors: """
              - { plugin: healthchecks, url: "ftp://example.com/x" }
              - { plugin: ntfy }
              - { plugin: pager, url: "https://x" }
              - { plugin: webhook, url: "https://x", colour: red }
              - { plugin: webhook, url: "https://x", states: [bad] }
            """))
        let result = try CLI.harness.run(["config", "check"], in: workspace.url, environment: Self.environment)
        XCTAssertEqual(result.status, 2)
        for expected in ["must be an http:// or https:// address", "needs the option 'topic'", "unknown monitor plugin 'pager'",
                         "unknown state 'bad'", "unknown option 'colour' for monitor '4' (webhook); options: url, headers, states, timeout"] {
            XCTAssertTrue(result.stderr.contains(expected), "\(expected) in \(result.stderr)")
        }
    }
}
