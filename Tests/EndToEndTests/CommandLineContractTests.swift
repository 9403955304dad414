import Foundation
import XCTest

/// Exit codes and messages of DESIGN.md §5, through the shipped binary.
final class CommandLineContractTests: XCTestCase {
    private let valid = """
        sources:
          shop: { plugin: sample }
        jobs:
          auto: { sources: [shop] }

        """

    /// Ten (and more) broken configs: each problem at its exact FILE:LINE:COL, exit 2.
    func testBrokenConfigsGiveFileLineColumnAndExit2() throws {
        let cases: [(name: String, text: String?, expected: [String])] = [
            ("syntax.yaml", "sources:\n  shop: { plugin: sample, rows: [1 }\n", ["syntax.yaml:2:36: YAML syntax error"]),
            ("tabs.yaml", "sources:\n\tshop: { plugin: sample }\n", ["tabs.yaml:2:1: YAML syntax error: a tab character"]),
            ("unknown-key.yaml", valid + "retention: 10\n", ["unknown-key.yaml:5:1: unknown key 'retention' in the config"]),
            ("unknown-option.yaml", "sources:\n  shop:\n    plugin: sample\n    rowz: 5\njobs:\n  auto: { sources: [shop] }\n",
             ["unknown-option.yaml:4:5: unknown option 'rowz' for source 'shop' (sample); did you mean 'rows'?"]),
            ("wrong-type.yaml", "sources:\n  shop: { plugin: sample, rows: banyak }\njobs:\n  auto: { sources: [shop] }\n",
             ["wrong-type.yaml:2:33: option 'rows' of source 'shop' must be a whole number, not 'banyak'"]),
            ("unknown-plugin.yaml", "sources:\n  shop: { plugin: kasir-mysql }\njobs:\n  auto: { sources: [shop] }\n",
             ["unknown-plugin.yaml:2:19: unknown source plugin 'kasir-mysql'"]),
            ("missing-source.yaml", "sources:\n  shop: { plugin: sample }\njobs:\n  auto: { sources: [kasir] }\n",
             ["missing-source.yaml:4:21: job 'auto' uses source 'kasir', which is not defined under 'sources:'"]),
            ("missing-sink.yaml", valid.replacingOccurrences(of: "[shop] }", with: "[shop], sinks: [usb] }"),
             ["missing-sink.yaml:4:36: job 'auto' uses sink 'usb', which is not defined under 'sinks:'"]),
            ("empty.yaml", "", ["empty.yaml:1:1: the config is empty"]),
            ("missing.yaml", nil, ["missing.yaml:1:1: config file not found"]),
            ("duplicate.yaml", "sources:\n  shop: { plugin: sample }\n  shop: { plugin: sample }\njobs:\n  auto: { sources: [shop] }\n",
             ["duplicate.yaml:3:3: duplicate key 'shop' in 'sources' (first at line 2)"]),
            ("env.yaml", "sources:\n  shop: { plugin: sample, seed: \"${CADANG_TEST_UNSET}\" }\njobs:\n  auto: { sources: [shop] }\n",
             ["env.yaml:2:33: environment variable 'CADANG_TEST_UNSET' is not set"]),
            ("several.yaml", "sources:\n  a: { plugin: sample, rows: x }\n  b: { plugin: nope }\njobs:\n  auto: { sources: [a, c] }\n",
             ["several.yaml:2:30: option 'rows'", "several.yaml:3:16: unknown source plugin 'nope'", "several.yaml:5:24: job 'auto' uses source 'c'"]),
        ]
        let workspace = try Workspace()
        for (name, text, expected) in cases {
            if let text { try workspace.write(name, text) }
            for command in [["config", "check"], ["run"], ["list"]] {
                let result = try CLI.harness.run(command + ["--config", name], in: workspace.url)
                XCTAssertEqual(result.status, 2, "\(name) \(command): \(result.stderr)")
                let lines = result.stderr.split(separator: "\n").map(String.init)
                XCTAssertEqual(lines.count, expected.count, "\(name): \(result.stderr)")
                for (line, prefix) in zip(lines, expected) {
                    XCTAssertTrue(line.hasPrefix(prefix), "\(name): expected '\(prefix)…', got '\(line)'")
                }
            }
        }
    }

    func testConfigCheckAcceptsAValidConfig() throws {
        let workspace = try Workspace(config: valid)
        let result = try CLI.harness.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("cadang.yaml: OK"), result.stdout)
    }

    func testConfigFromEnvironmentVariable() throws {
        let workspace = try Workspace()
        try workspace.write("elsewhere.yaml", valid)
        let result = try CLI.harness.run(["config", "check"], in: workspace.url, environment: ["CADANG_CONFIG": "elsewhere.yaml"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testUnknownJobCommandOrFlagIsAUsageError() throws {
        let workspace = try Workspace(config: valid)
        let job = try CLI.harness.run(["run", "harian"], in: workspace.url)
        XCTAssertEqual(job.status, 2)
        XCTAssertTrue(job.stderr.contains("has no job named 'harian'"), job.stderr)
        XCTAssertEqual(try CLI.cadang.run(["backup"], in: workspace.url).status, 2)
        XCTAssertEqual(try CLI.cadang.run(["run", "--no-such-flag"], in: workspace.url).status, 2)
        XCTAssertEqual(try CLI.cadang.run(["run", "--time", "yesterday"], in: workspace.url).status, 2)
    }

    func testEveryCommandHasOneLineHelp() throws {
        let workspace = try Workspace()
        for command in [["run"], ["list"], ["plugins"], ["config", "check"]] {
            let result = try CLI.cadang.run(command + ["--help"], in: workspace.url)
            XCTAssertEqual(result.status, 0, "\(command)")
            let overview = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertTrue(overview.hasPrefix("OVERVIEW: ") && overview.count > 20, "\(command): \(overview)")
        }
        XCTAssertEqual(try CLI.cadang.run(["--version"], in: workspace.url).status, 0)
    }

    func testMissingRepositoryDriveExits75() throws {
        let workspace = try Workspace(config: "repository: ./not-mounted/backups\n" + valid)
        let result = try CLI.harness.run(["run"], in: workspace.url)
        XCTAssertEqual(result.status, 75, result.stderr)
        XCTAssertTrue(result.stderr.contains("is not available"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("not-mounted").path))
    }
}
