import Foundation
import XCTest

/// The host's generic verbs reach plugins only through the core's capabilities: operations with
/// their own options, a source's state folder and its part in the commit, record rules found
/// through a policy, transactional sinks, and errors of any type reported as one line. The test
/// tree's `ledger` source and sink (Tests/Harness) adopt them all.
final class CapabilityTests: XCTestCase {
    private var workspace: Workspace!

    static func config(ledger: String = "count: 3", sink: String = "", extraJobs: String = "") -> String {
        """
        repository: ./backups
        sources:
          book: { plugin: ledger, \(ledger) }
          shop: { plugin: sample, rows: 10 }
        sinks:
          csv: { plugin: csv }
          tx: { plugin: ledger, path: ./committed\(sink) }
        policies:
          keep: { plugin: retention, keep_last: 5, records: { older_than: 30d } }
        jobs:
          book: { sources: [book], sinks: [csv, tx], policies: [keep] }
          other: { sources: [shop], sinks: [csv] }
        \(extraJobs)
        """
    }

    override func setUpWithError() throws {
        workspace = try Workspace(config: Self.config())
    }

    @discardableResult
    private func run(_ arguments: [String], status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> CLI.Result {
        let result = try CLI.harness.run(arguments, in: workspace.url)
        XCTAssertEqual(result.status, status, "\(arguments): \(result.stdout)\(result.stderr)", file: file, line: line)
        return result
    }

    private func json(_ result: CLI.Result) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func testOperationsJoinTheGenericVerbsWithTheirReportUnderTheSourcesName() throws {
        try run(["run", "book"])
        try run(["run", "book"])
        let verify = try json(try run(["verify", "book", "--json"]))
        XCTAssertEqual((verify["sets"] as? [Any])?.count, 2, "the job's sets are checked as for every job")
        XCTAssertEqual(verify["book"] as? [String: Int], ["entries": 6, "orphans": 0])
        let text = try run(["verify", "book"])
        XCTAssertTrue(text.stdout.contains("2 set(s) verified"), text.stdout)
        XCTAssertTrue(text.stdout.contains("ledger book: 6 entries, 0 of unlisted sets"), text.stdout)

        let stats = try json(try run(["stats", "book", "--json", "--top", "1"]))
        let book = try XCTUnwrap(stats["book"] as? [String: Any])
        XCTAssertEqual(book["total"] as? Int, 6)
        XCTAssertEqual((book["by_set"] as? [Any])?.count, 1, "--top reached the operation")

        // A job whose sources add nothing: verify keeps its array; stats says so.
        let plain = try run(["verify", "other", "--json"])
        XCTAssertTrue(plain.stdout.hasPrefix("["), plain.stdout)
        XCTAssertTrue(try run(["stats", "other"]).stdout.contains("no source of job 'other' has statistics"))
    }

    func testOperationOptionsAreValidatedLikeConfigOptions() throws {
        try run(["run", "book"])
        let range = try run(["stats", "book", "--top", "0"], status: 2)
        XCTAssertTrue(range.stderr.contains("--top must be between 1 and 100, not '0'"), range.stderr)
        let typo = try run(["stats", "book", "--topp", "3"], status: 2)
        XCTAssertTrue(typo.stderr.contains("unknown option --topp for stats"), typo.stderr)
        XCTAssertTrue(typo.stderr.contains("did you mean '--top'?"), typo.stderr)
        let type = try run(["verify", "book", "--strict=maybe"], status: 2)
        XCTAssertTrue(type.stderr.contains("--strict must be true or false, not 'maybe'"), type.stderr)
        let unknown = try run(["verify", "other", "--strict"], status: 2)
        XCTAssertTrue(unknown.stderr.contains("unknown option --strict for verify"), unknown.stderr)
        XCTAssertEqual(try run(["verify", "book", "--strict"]).status, 0)
    }

    func testSourceStateCountsOnlyOnceTheSetIsListed() throws {
        try run(["run", "book"])
        let state = workspace.repository.appendingPathComponent("state/book")
        let mode = try FileManager.default.attributesOfItem(atPath: state.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o700)

        try workspace.write("cadang.yaml", Self.config(ledger: "count: 3, fail: commit"))
        let failed = try run(["run", "book"], status: 1)
        XCTAssertEqual(failed.stderr.split(separator: "\n").filter { $0.contains("error") }.count, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("job 'book'"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("preparing the ledger"), failed.stderr)
        try workspace.write("cadang.yaml", Self.config())
        let verify = try json(try run(["verify", "book", "--json"]))
        XCTAssertEqual(verify["book"] as? [String: Int], ["entries": 3, "orphans": 0], "the failed run added nothing")
        XCTAssertEqual(try workspace.listedSets().count, 1)
    }

    func testATransactionalSinkCommitsWithTheSetAndRollsBackWithoutIt() throws {
        try run(["run", "book"])
        let set = try XCTUnwrap(try workspace.listedSets().first)
        let committed = workspace.url.appendingPathComponent("committed")
        XCTAssertEqual(try String(contentsOf: committed.appendingPathComponent("\(set.id).rows"), encoding: .utf8), "entries 3\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: committed.path), ["\(set.id).rows"])

        try workspace.write("cadang.yaml", Self.config(ledger: "count: 3, fail: commit"))
        try run(["run", "book"], status: 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: committed.path), ["\(set.id).rows"], "rolled back")

        try workspace.write("cadang.yaml", Self.config(sink: ", fail_commit: true"))
        let late = try run(["run", "book"], status: 1)
        XCTAssertTrue(late.stderr.contains("was written, but sink 'tx' failed"), late.stderr)
        XCTAssertEqual(try workspace.listedSets().count, 2, "the set stays listed")
    }

    func testAPluginsOwnErrorIsOneLineNamingTheJobAndTheOtherJobsStillRun() throws {
        for failure in ["open", "build"] {
            try workspace.write("cadang.yaml", Self.config(ledger: "fail: \(failure)"))
            let result = try run(["run", "book", "other", "--json"], status: 1)
            let errors = result.stderr.split(separator: "\n").filter { $0.contains("error") }
            XCTAssertEqual(errors.count, 1, result.stderr)
            XCTAssertTrue(errors.first?.contains("job 'book'") == true, result.stderr)
            XCTAssertTrue(errors.first?.contains("the ledger") == true, result.stderr)
            let reports = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], result.stdout)
            XCTAssertEqual(reports.map { $0["status"] as? String }, ["failed", "committed"], "\(failure): \(result.stdout)")
        }
    }

    func testPruneAppliesTheRecordRulesOfTheJobsPolicy() throws {
        try run(["run", "book", "--time", "2020-01-01T00:00:00Z"])
        try run(["run", "book"])
        let plan = try json(try run(["prune", "book", "--dry-run", "--json"]))
        XCTAssertEqual(plan["book"] as? [String: Int], ["removed": 3, "kept": 3], "the 30d record rule of policy 'keep'")
        XCTAssertEqual((plan["keep"] as? [Any])?.count, 2, "the set plan is still there")
        let longer = try json(try run(["prune", "book", "--dry-run", "--json", "--older-than", "100000d"]))
        XCTAssertEqual(longer["book"] as? [String: Int], ["removed": 0, "kept": 6], "--older-than overrides the policy")
        try run(["prune", "book"])
        let verify = try json(try run(["verify", "book", "--json"]))
        XCTAssertEqual(verify["book"] as? [String: Int], ["entries": 3, "orphans": 0])
    }

    func testRestoreRunsTheSourcesRestoreOperation() throws {
        try run(["run", "book"])
        let result = try run(["restore", "book", "--yes"])
        XCTAssertTrue(result.stdout.contains("ledger book: 3 entries would come back"), result.stdout)
        let report = try json(try run(["restore", "book", "--yes", "--json"]))
        XCTAssertEqual(report["book"] as? [String: Int], ["entries": 3])
    }

    func testPluginsListsOperationsAndTheirOptions() throws {
        let text = try run(["plugins"]).stdout
        XCTAssertTrue(text.contains("    cadang stats: Entries per set."), text)
        XCTAssertTrue(text.contains("        --top (integer, 1…100, default 10): Sets to show."), text)
        XCTAssertTrue(text.contains("    cadang prune: Removes entries older than the record rule (or --older-than). (changes data)"), text)
        let listed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try run(["plugins", "--json"]).stdout.utf8)) as? [[String: Any]])
        let ledger = try XCTUnwrap(listed.first { $0["name"] as? String == "ledger" && $0["kind"] as? String == "source" })
        let verbs = (ledger["operations"] as? [[String: Any]])?.compactMap { $0["verb"] as? String }
        XCTAssertEqual(verbs, ["verify", "stats", "prune", "restore"])
    }

    func testTheManifestNamesThePluginThatWroteEachArtifact() throws {
        try run(["run", "book"])
        let set = try XCTUnwrap(try workspace.listedSets().first)
        let manifest = try String(contentsOf: workspace.repository.appendingPathComponent("sets/\(set.id)/manifest.json"), encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"plugin\" : \"csv\""), manifest)
        XCTAssertTrue(manifest.contains("\"plugin\" : \"ledger\""), manifest)
    }
}
