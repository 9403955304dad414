import Foundation
import XCTest

final class RunTests: XCTestCase {
    static let config = """
        repository: ./backups
        sources:
          gen: { plugin: sample, rows: 2500, tables: [items, more], file_bytes: 300000 }
        sinks:
          excel: { plugin: csv, excel: true }
          json: { plugin: json }
        jobs:
          auto: { sources: [gen], sinks: [excel, json] }
          items: { sources: [gen.items], sinks: [json] }

        """

    func testRunWritesASetWhoseManifestMatchesTheFilesAndListShowsIt() throws {
        let workspace = try Workspace(config: Self.config)
        let run = try CLI.harness.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("auto: set "), run.stdout)

        let sets = try workspace.listedSets()
        XCTAssertEqual(sets.count, 1)
        let set = try XCTUnwrap(sets.first)
        XCTAssertEqual(set.job, "auto")
        XCTAssertEqual(set.status, "complete")
        XCTAssertEqual(Set(set.artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent }),
                       ["blob.bin", "items.csv", "items.json", "more.csv", "more.json"])

        let directory = workspace.repository.appendingPathComponent("sets").appendingPathComponent(set.id)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(onDisk, ["blob.bin", "items.csv", "items.json", "manifest.json", "more.csv", "more.json"])
        for artifact in set.artifacts {
            XCTAssertTrue(artifact.path.hasPrefix("/"), "paths in list --json are absolute")
            XCTAssertEqual(try Independent.sha256(artifact.path), artifact.sha256, artifact.path)
            let size = try FileManager.default.attributesOfItem(atPath: artifact.path)[.size] as? NSNumber
            XCTAssertEqual(size?.int64Value, artifact.bytes, artifact.path)
            XCTAssertEqual(try Independent.mode(artifact.path), 0o600, artifact.path)
            switch artifact.format {
            case "csv":
                let rows = try Independent.python(
                    "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig'))) - 1)",
                    [artifact.path])
                XCTAssertEqual(Int(rows.trimmingCharacters(in: .whitespacesAndNewlines)), 2500)
                XCTAssertEqual(artifact.rows, 2500)
            case "json":
                let rows = try Independent.python("import json,sys; print(len(json.load(open(sys.argv[1], encoding='utf-8'))))", [artifact.path])
                XCTAssertEqual(Int(rows.trimmingCharacters(in: .whitespacesAndNewlines)), 2500)
                XCTAssertEqual(artifact.rows, 2500)
            default:
                XCTAssertEqual(artifact.bytes, 300_000)
                XCTAssertNil(artifact.rows)
            }
        }
        for folder in [workspace.repository, workspace.repository.appendingPathComponent("sets"), directory] {
            XCTAssertEqual(try Independent.mode(folder.path), 0o700, folder.path)
        }
        XCTAssertEqual(try Independent.mode(directory.appendingPathComponent("manifest.json").path), 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workspace.repository.appendingPathComponent("tmp").path), [])
    }

    func testJobCanPickOneDatasetOfASource() throws {
        let workspace = try Workspace(config: Self.config)
        let run = try CLI.harness.run(["run", "items"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets().first)
        XCTAssertEqual(set.artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["items.json"])
    }

    func testTimeOptionRecordsTheGivenTimeAndTwoRunsAtOneTimeAreTwoSets() throws {
        let workspace = try Workspace(config: Self.config)
        for _ in 0..<2 {
            let run = try CLI.harness.run(["run", "items", "--time", "2026-01-31T23:00:00.25+07:00"], in: workspace.url,
                                          environment: ["TZ": "Asia/Jakarta"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let sets = try workspace.listedSets()
        XCTAssertEqual(sets.count, 2)
        XCTAssertNotEqual(sets[0].id, sets[1].id)
        XCTAssertEqual(sets.map(\.time), ["2026-01-31T23:00:00.25+07:00", "2026-01-31T23:00:00.25+07:00"])
        XCTAssertTrue(sets.allSatisfy { $0.id.hasPrefix("20260131T160000.250000Z-") }, "\(sets.map(\.id))")
    }

    func testListFiltersByJobAndSortsByTime() throws {
        let workspace = try Workspace(config: Self.config)
        for time in ["2026-03-01T10:00:00Z", "2026-01-01T10:00:00Z", "2026-02-01T10:00:00Z"] {
            XCTAssertEqual(try CLI.harness.run(["run", "items", "--time", time], in: workspace.url).status, 0)
        }
        XCTAssertEqual(try CLI.harness.run(["run", "auto", "--time", "2026-01-15T10:00:00Z"], in: workspace.url).status, 0)
        let all = try workspace.listedSets()
        XCTAssertEqual(all.map(\.job), ["items", "auto", "items", "items"])
        let result = try CLI.harness.run(["list", "items", "--json"], in: workspace.url)
        let items = try JSONDecoder().decode([ListedSet].self, from: Data(result.stdout.utf8))
        XCTAssertEqual(items.count, 3)
        XCTAssertEqual(items.map(\.id), items.map(\.id).sorted())
        let text = try CLI.harness.run(["list"], in: workspace.url)
        XCTAssertTrue(text.stdout.contains("4 set(s)"), text.stdout)
    }

    func testDryRunWritesNothing() throws {
        let workspace = try Workspace(config: Self.config)
        let run = try CLI.harness.run(["run", "--dry-run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("source gen (sample)"), run.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.repository.path))
    }

    func testFailedRunLeavesNoSetAndExits1() throws {
        let workspace = try Workspace(config: """
            sources:
              bad: { plugin: sample, rows: 10000, fail_after: 5000 }
              good: { plugin: sample, rows: 10 }
            sinks:
              csv: { plugin: csv }
            jobs:
              auto: { sources: [bad], sinks: [csv] }
              ok: { sources: [good], sinks: [csv] }
            """)
        let run = try CLI.harness.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("sample source failed on purpose"), run.stderr)
        XCTAssertEqual(try workspace.listedSets().count, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workspace.repository.appendingPathComponent("tmp").path), [])
        XCTAssertEqual(try CLI.harness.run(["run", "ok"], in: workspace.url).status, 0)
    }

    func testRunJSONOutput() throws {
        let workspace = try Workspace(config: Self.config)
        let run = try CLI.harness.run(["run", "items", "--json"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let reports = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(reports.first?["status"] as? String, "committed")
        XCTAssertEqual((reports.first?["set"] as? [String: Any])?["job"] as? String, "items")
    }

    func testPluginsAreListedFromTheirDeclarations() throws {
        let workspace = try Workspace()
        let builtIn = try CLI.cadang.run(["plugins", "--json"], in: workspace.url)
        XCTAssertEqual(builtIn.status, 0, builtIn.stderr)
        let names = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(builtIn.stdout.utf8)) as? [[String: Any]]).compactMap { $0["name"] as? String }
        XCTAssertTrue(names.contains("csv") && names.contains("json"), "\(names)")
        XCTAssertFalse(names.contains("sample"), "the test source is not in the shipped binary")

        let harness = try CLI.harness.run(["plugins"], in: workspace.url)
        XCTAssertTrue(harness.stdout.contains("sample — Generates deterministic rows"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("rows (integer, default 1000)"), harness.stdout)
    }
}
