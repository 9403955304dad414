import Foundation
import XCTest

/// `cadang init --pos INBOX [--odoo URL]`: the starter config for an Odoo shop is valid as written,
/// its job ingests the contract's payloads, and the starter's own options are the only extra ones.
final class POSInitTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The contract's example payloads, as shipped for operators.
    static let examples = repositoryRoot.appendingPathComponent("Docs/pos-examples")

    func testInitPosWritesAConfigThatChecksAndItsJobIngestsASample() throws {
        let workspace = try Workspace()
        let result = try CLI.cadang.run(["init", "--pos", "inbox"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "wrote cadang.yaml — next: cadang run pos\n")
        // The inbox does not exist yet: written anyway, with one warning naming it.
        let warnings = result.stderr.split(separator: "\n")
        XCTAssertEqual(warnings.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("cadang: warning: the inbox \(workspace.url.appendingPathComponent("inbox").path) does not exist"), result.stderr)
        let config = workspace.url.appendingPathComponent("cadang.yaml")
        XCTAssertEqual(try Independent.mode(config.path), 0o600)

        let check = try CLI.cadang.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.contains("jobs: pos"), check.stdout)

        let text = try String(contentsOf: config, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("#"), "starts with a header comment")
        for command in ["cadang run pos", "cadang verify pos", "cadang stats pos", "cadang prune pos"] {
            XCTAssertTrue(text.contains(command), "header mentions \(command)")
        }
        XCTAssertTrue(text.contains("    plugin: pos-orders\n"), text)
        XCTAssertTrue(text.contains("    inbox: [\"inbox\"]\n"), text)
        XCTAssertTrue(text.contains("    timezone: \"\(TimeZone.current.identifier)\"\n"), text)
        XCTAssertTrue(text.contains("bersih: { plugin: retention, keep_daily: 30, records: { older_than: 30d, states: [verified, imported, duplicate] } }"), text)
        XCTAssertTrue(text.contains("pos: { sources: [pos], sinks: [json, csv], policies: [bersih] }"), text)
        for line in text.split(separator: "\n") where line.contains("odoo:") || line.contains("store:") {
            XCTAssertTrue(line.trimmingCharacters(in: .whitespaces).hasPrefix("#"), "without --odoo only an example: \(line)")
        }

        // Before the inbox exists the run is a soft failure a scheduler retries.
        let early = try CLI.cadang.run(["run", "pos"], in: workspace.url)
        XCTAssertEqual(early.status, 75, early.stderr)
        XCTAssertTrue(early.stderr.contains("inbox"), early.stderr)

        let inbox = workspace.url.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for name in ["odoo18-offline-order.json", "odoo18-online-order.json", "odoo17-export-order.json", "indexeddb-export.json"] {
            try FileManager.default.copyItem(at: Self.examples.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
        }
        let generator = Process()
        generator.executableURL = Self.repositoryRoot.appendingPathComponent("Scripts/pos-sample-payloads")
        generator.arguments = ["--orders", "20", "--shape", "jsonl", "--out", inbox.appendingPathComponent("till.jsonl").path]
        generator.standardOutput = FileHandle.nullDevice
        try generator.run()
        generator.waitUntilExit()
        XCTAssertEqual(generator.terminationStatus, 0)

        let run = try CLI.cadang.run(["run", "pos", "--json"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let jobs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]], run.stdout)
        XCTAssertEqual(jobs.count, 1, run.stdout)
        let report = try XCTUnwrap(jobs.first)
        XCTAssertEqual(report["job"] as? String, "pos")
        let pos = try XCTUnwrap(report["pos"] as? [String: Any], run.stdout)
        XCTAssertEqual((pos["rejected"] as? [Any])?.count, 0, run.stdout)
        let stored = try XCTUnwrap(pos["stored"] as? Int, run.stdout)
        XCTAssertGreaterThanOrEqual(stored, 20, "the generated orders, plus the examples' own: \(run.stdout)")
        XCTAssertEqual(pos["new_versions"] as? Int, 1, "the online copy of the offline example is a new version: \(run.stdout)")

        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        XCTAssertEqual(set.job, "pos")
        let names = Set(set.artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent })
        for dataset in ["orders", "order_lines", "payments", "events"] {
            XCTAssertTrue(names.contains("\(dataset).json") && names.contains("\(dataset).csv"), "\(dataset): \(names.sorted())")
        }
        let orders = try XCTUnwrap(set.artifacts.first { $0.path.hasSuffix("/orders.csv") })
        XCTAssertEqual(orders.rows, stored)
    }

    func testOdooAddsTheGroupAndItsKeyComesFromTheEnvironment() throws {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        let result = try CLI.cadang.run(["init", "--pos", "inbox", "--odoo", "http://127.0.0.1:8069"], in: workspace.url,
                                        environment: ["ODOO_API_KEY": "k3y"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("ODOO_API_KEY is not set"), result.stderr)
        XCTAssertTrue(result.stderr.contains("set 'user:' in the odoo group"), result.stderr)
        let text = try String(contentsOf: workspace.url.appendingPathComponent("cadang.yaml"), encoding: .utf8)
        XCTAssertTrue(text.contains("""
                odoo:
                  url: "http://127.0.0.1:8069"
                  database: odoo
                  user: cadang@example.com
            """), text)
        XCTAssertTrue(text.contains("\n      api_key: ${ODOO_API_KEY}\n"), text)
        XCTAssertFalse(text.contains("k3y"), "the key itself is never written")

        let check = try CLI.cadang.run(["config", "check"], in: workspace.url, environment: ["ODOO_API_KEY": "k3y"])
        XCTAssertEqual(check.status, 0, check.stderr)

        // Without the variable, init still writes the file and says so; config check then names the line.
        let unset = try CLI.cadang.run(["init", "--pos", "inbox", "--odoo", "http://127.0.0.1:8069", "--force"], in: workspace.url,
                                       unset: ["ODOO_API_KEY"])
        XCTAssertEqual(unset.status, 0, unset.stderr)
        XCTAssertTrue(unset.stderr.contains("the environment variable ODOO_API_KEY is not set"), unset.stderr)
        let refused = try CLI.cadang.run(["config", "check"], in: workspace.url, unset: ["ODOO_API_KEY"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("cadang.yaml:"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("environment variable 'ODOO_API_KEY' is not set"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("export ODOO_API_KEY="), refused.stderr)
    }

    func testUnknownOrMisplacedExtraFlagsAreRefusedAndNothingIsWritten() throws {
        let workspace = try Workspace()
        let cases: [([String], String)] = [
            (["init", "--pos", "inbox", "--bogus", "1"], "cadang init --pos has no option --bogus"),
            (["init", "--kasir", "kasir.db", "--odoo", "http://127.0.0.1:8069"], "cadang init --kasir has no option --odoo"),
            (["init", "--odoo", "http://127.0.0.1:8069"], "no starter config for --odoo"),
            (["init", "--pos", "inbox", "--kasir", "kasir.db"], "give only one of"),
            (["init", "--pos", "inbox", "--odoo", ""], "--odoo needs a value"),
            (["init", "--pos", ""], "--pos needs a value"),
            (["init", "--pos"], "Missing value for '--pos'"),
            (["init", "--pos", "inbox", "stray"], "Unexpected argument 'stray'"),
            (["init"], "cadang init needs --kasir or --pos"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.cadang.run(arguments, in: workspace.url)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("cadang.yaml").path), "\(arguments)")
        }
        let help = try CLI.cadang.run(["init", "--help"], in: workspace.url)
        XCTAssertEqual(help.status, 0)
        for word in ["--kasir", "--pos", "--odoo URL"] {
            XCTAssertTrue(help.stdout.contains(word), "\(word): \(help.stdout)")
        }
    }

    /// With an Indonesian locale the comments are Indonesian; every key and value is the same.
    func testAnIndonesianLocaleWritesIndonesianComments() throws {
        func written(_ environment: [String: String]) throws -> String {
            let workspace = try Workspace()
            try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
            let environment = environment.merging(["ODOO_API_KEY": "k3y"]) { $1 }
            let result = try CLI.cadang.run(["init", "--pos", "inbox", "--odoo", "http://127.0.0.1:8069", "--archive", "arsip"],
                                            in: workspace.url, environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            let check = try CLI.cadang.run(["config", "check"], in: workspace.url, environment: environment)
            XCTAssertEqual(check.status, 0, check.stderr)
            return try String(contentsOf: workspace.url.appendingPathComponent("cadang.yaml"), encoding: .utf8)
        }
        let indonesian = try written(["LC_ALL": "id_ID.UTF-8"])
        let english = try written([:])
        for phrase in ["konfigurasi Cadang untuk point of sale Odoo", "Perintah:", "Zona waktu toko", "Server Odoo",
                       "ganti dengan login Odoo", "Arsip .tar.gz"] {
            XCTAssertTrue(indonesian.contains(phrase), "\(phrase) in:\n\(indonesian)")
        }
        XCTAssertFalse(indonesian.contains("Commands:") || indonesian.contains("time zone"), indonesian)
        func settings(_ text: String) -> [String] {
            text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
                .map { $0.components(separatedBy: " #").first ?? String($0) }
        }
        XCTAssertEqual(settings(indonesian), settings(english), "only the comments differ")
    }
}
