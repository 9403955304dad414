import Foundation
import XCTest

/// DESIGN.md §5: the global options (`--config FILE`, `--config=FILE`, `--quiet`, `--verbose`)
/// mean the same before the subcommand (`cadang --config F run auto`) as after it
/// (`cadang run auto --config F`). One test per subcommand: each runs both ways, each way in its
/// own fresh workspace, and expects the same exit status, output and effect.
final class GlobalOptionPositionTests: XCTestCase {
    /// Not `cadang.yaml`, so a `--config` that went unheard fails with "config file not found".
    private static let configName = "other.yaml"

    private static let sampleConfig = """
        repository: ./backups
        sources:
          shop: { plugin: sample, rows: 5 }
        sinks:
          json: { plugin: json }
        policies:
          keep: { plugin: retention, keep_last: 10 }
        jobs:
          auto: { sources: [shop], sinks: [json], policies: [keep] }

        """

    private static let january = ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]

    /// The two results of one command line, each with its own workspace.
    private struct BothWays {
        var before: CLI.Result
        var after: CLI.Result
        var beforeWorkspace: Workspace
        var afterWorkspace: Workspace
    }

    /// Runs `cadang GLOBALS COMMAND REST` and `cadang COMMAND REST GLOBALS`, each in a workspace
    /// made by `prepare`, and checks that status, standard output and standard error are the same
    /// (with the workspace folder and set ids written the same way).
    @discardableResult
    private func bothWays(_ command: [String], _ rest: [String] = [], globals: [String] = ["--config", configName, "--quiet"],
                          cli: CLI = .harness, input: String? = nil, status: Int32 = 0,
                          prepare: () throws -> Workspace = { try GlobalOptionPositionTests.sampleWorkspace() },
                          file: StaticString = #filePath, line: UInt = #line) throws -> BothWays {
        let beforeWorkspace = try prepare()
        let afterWorkspace = try prepare()
        let before = try cli.run(globals + command + rest, in: beforeWorkspace.url, input: input)
        let after = try cli.run(command + rest + globals, in: afterWorkspace.url, input: input)
        XCTAssertEqual(before.status, status, "before: \(before.stderr)", file: file, line: line)
        XCTAssertEqual(after.status, status, "after: \(after.stderr)", file: file, line: line)
        XCTAssertEqual(Self.normalized(before.stdout, beforeWorkspace), Self.normalized(after.stdout, afterWorkspace),
                       "standard output", file: file, line: line)
        XCTAssertEqual(Self.normalized(before.stderr, beforeWorkspace), Self.normalized(after.stderr, afterWorkspace),
                       "standard error", file: file, line: line)
        return BothWays(before: before, after: after, beforeWorkspace: beforeWorkspace, afterWorkspace: afterWorkspace)
    }

    /// Output with what differs between two workspaces by design written one way.
    private static func normalized(_ text: String, _ workspace: Workspace) -> String {
        text.replacingOccurrences(of: workspace.url.path, with: "WORKSPACE")
            // A set id is its time (now, for a before-restore set) and a random part.
            .replacing(/\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{12}/, with: "SET-ID")
            // --verbose logs how long steps took.
            .replacing(/\d+\.\d+ s\b/, with: "N s")
    }

    /// A workspace with the sample config under `configName` and, if `runs` is given, one `auto` set per time.
    private static func sampleWorkspace(runs: [String] = []) throws -> Workspace {
        let workspace = try Workspace()
        try workspace.write(configName, sampleConfig)
        for time in runs {
            let result = try CLI.harness.run(["run", "--config", configName, "--time", time], in: workspace.url)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        return workspace
    }

    /// The job names of `list --json` in a workspace.
    private static func listedJobs(_ workspace: Workspace, _ cli: CLI = .harness) throws -> [String] {
        let result = try cli.run(["list", "--json", "--config", configName], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode([ListedSet].self, from: Data(result.stdout.utf8)).map(\.job)
    }

    func testInit() throws {
        let both = try bothWays(["init"], ["--kasir", "instance/kasir.db"], globals: ["--config=\(Self.configName)", "--verbose"],
                                cli: .cadang, prepare: { try Workspace() })
        XCTAssertTrue(both.after.stdout.hasPrefix("wrote \(Self.configName)"), both.after.stdout)
        let written = try [both.beforeWorkspace, both.afterWorkspace].map {
            try String(contentsOf: $0.url.appendingPathComponent(Self.configName), encoding: .utf8)
        }
        XCTAssertEqual(written[0], written[1])
        XCTAssertFalse(FileManager.default.fileExists(atPath: both.beforeWorkspace.url.appendingPathComponent("cadang.yaml").path))
    }

    func testRun() throws {
        let both = try bothWays(["run"], ["auto", "--time", Self.january[0]], globals: ["--config", Self.configName, "--verbose"])
        XCTAssertTrue(both.after.stdout.hasPrefix("auto: set 20260101T000000.000000Z-"), both.after.stdout)
        XCTAssertEqual(try Self.listedJobs(both.beforeWorkspace), ["auto"])
        XCTAssertEqual(try Self.listedJobs(both.afterWorkspace), ["auto"])
    }

    func testList() throws {
        let both = try bothWays(["list"], ["auto", "--json"], prepare: { try Self.sampleWorkspace(runs: Self.january) })
        XCTAssertEqual(try JSONDecoder().decode([ListedSet].self, from: Data(both.after.stdout.utf8)).count, 2)
    }

    func testVerify() throws {
        let both = try bothWays(["verify"], ["auto"], globals: ["--verbose", "--config=\(Self.configName)"],
                                prepare: { try Self.sampleWorkspace(runs: Self.january) })
        XCTAssertTrue(both.after.stdout.contains("2 set(s) verified"), both.after.stdout)
    }

    func testRestore() throws {
        let prepare = {
            let workspace = try Workspace()
            try workspace.write(Self.configName, KasirTests.config())
            try KasirTests.makeDatabase(at: workspace.url.appendingPathComponent("instance/kasir.db"), products: 16, transactions: 20)
            let run = try CLI.cadang.run(["run", "database", "--config", Self.configName, "--time", Self.january[0]], in: workspace.url)
            XCTAssertEqual(run.status, 0, run.stderr)
            return workspace
        }
        let both = try bothWays(["restore"], ["database", "--yes"], globals: ["--config", Self.configName, "--verbose"],
                                cli: .cadang, prepare: prepare)
        XCTAssertTrue(both.after.stdout.contains("restored \(both.afterWorkspace.url.path)/instance/kasir.db"), both.after.stdout)
        XCTAssertTrue(try Self.listedJobs(both.beforeWorkspace, .cadang).contains("before-restore"))
        XCTAssertTrue(try Self.listedJobs(both.afterWorkspace, .cadang).contains("before-restore"))
    }

    /// `prune` and its alias `cleanup`.
    func testPrune() throws {
        for name in ["prune", "cleanup"] {
            let both = try bothWays([name], ["auto", "--keep-last", "1"], prepare: { try Self.sampleWorkspace(runs: Self.january) })
            XCTAssertEqual(try Self.listedJobs(both.beforeWorkspace), ["auto"], name)
            XCTAssertEqual(try Self.listedJobs(both.afterWorkspace), ["auto"], name)
        }
    }

    func testStats() throws {
        let ledger = {
            let workspace = try Workspace()
            try workspace.write(Self.configName, """
                sources:
                  book: { plugin: ledger, count: 2 }
                jobs:
                  book: { sources: [book] }
                """)
            let result = try CLI.harness.run(["run", "book", "--config", Self.configName], in: workspace.url)
            XCTAssertEqual(result.status, 0, result.stderr)
            return workspace
        }
        let both = try bothWays(["stats"], ["book", "--json", "--top", "5"], globals: ["--config", Self.configName], prepare: ledger)
        XCTAssertTrue(both.after.stdout.contains("\"total\" : 2"), both.after.stdout)
    }

    func testPlugins() throws {
        let both = try bothWays(["plugins"], ["--json"], globals: ["--quiet", "--config", Self.configName])
        XCTAssertTrue(both.after.stdout.contains("\"sample\""), both.after.stdout)
    }

    /// `config check`, with the options also between `config` and `check`, and on a broken config.
    func testConfigCheck() throws {
        // Not --quiet: that leaves `config check` nothing to print on success.
        let both = try bothWays(["config", "check"], globals: ["--config", Self.configName, "--verbose"])
        XCTAssertTrue(both.after.stdout.hasPrefix("\(Self.configName): OK"), both.after.stdout)

        let workspace = try Self.sampleWorkspace()
        let between = try CLI.harness.run(["config", "--config", Self.configName, "--verbose", "check"], in: workspace.url)
        XCTAssertEqual(between.status, 0, between.stderr)
        XCTAssertEqual(between.stdout, both.after.stdout.replacingOccurrences(of: both.afterWorkspace.url.path, with: workspace.url.path))

        let broken = try bothWays(["config", "check"], status: 2, prepare: {
            let workspace = try Workspace()
            try workspace.write(Self.configName, "sources:\n  shop: { plugin: nope }\njobs:\n  auto: { sources: [shop] }\n")
            return workspace
        })
        XCTAssertTrue(broken.after.stderr.hasPrefix("\(Self.configName):2:19: unknown source plugin 'nope'"), broken.after.stderr)
    }

    func testMenu() throws {
        // 2) list backups, then 4) quit.
        let both = try bothWays(["menu"], globals: ["--verbose", "--config", Self.configName], input: "2\n4\n", prepare: { try Self.sampleWorkspace(runs: [Self.january[0]]) })
        XCTAssertTrue(both.after.stdout.contains("config:     \(both.afterWorkspace.url.path)/\(Self.configName)"), both.after.stdout)
        XCTAssertTrue(both.after.stdout.contains("1 set(s) in"), both.after.stdout)
    }

    /// A value is taken as a value wherever it stands, even one spelled like a subcommand; and
    /// `--help`, `--version` and a missing value are answered as without the option in front.
    func testValuesHelpVersionAndAMissingValue() throws {
        let workspace = try Workspace()
        try workspace.write("list", Self.sampleConfig)
        let named = try CLI.harness.run(["--config", "list", "run", "--time", Self.january[0]], in: workspace.url)
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertTrue(named.stdout.hasPrefix("auto: set "), named.stdout)
        // After `--` a word is the job's name, not an option.
        let terminated = try CLI.harness.run(["--config", "list", "run", "--", "--quiet"], in: workspace.url)
        XCTAssertEqual(terminated.status, 2)
        XCTAssertTrue(terminated.stderr.contains("no job named '--quiet'"), terminated.stderr)

        let version = try CLI.cadang.run(["--version"], in: workspace.url)
        XCTAssertEqual(try CLI.cadang.run(["--quiet", "--version"], in: workspace.url).stdout, version.stdout)
        let help = try CLI.cadang.run(["run", "--help"], in: workspace.url)
        let helpAfterGlobal = try CLI.cadang.run(["--config", "x.yaml", "run", "--help"], in: workspace.url)
        XCTAssertEqual(helpAfterGlobal.status, 0)
        XCTAssertEqual(helpAfterGlobal.stdout, help.stdout)

        for arguments in [["--config"], ["--quiet", "--config"], ["run", "--config"], ["config", "check", "--config"]] {
            let result = try CLI.cadang.run(arguments, in: workspace.url)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: Missing value for '--config <config>'"), "\(arguments): \(result.stderr)")
        }
        let alone = try CLI.cadang.run(["--config", "list"], in: workspace.url)
        XCTAssertEqual(alone.status, 2)
        XCTAssertTrue(alone.stderr.contains("global options go with a subcommand"), alone.stderr)
    }
}
