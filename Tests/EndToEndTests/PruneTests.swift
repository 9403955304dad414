import Foundation
import XCTest

/// `cadang prune` (alias `cleanup`) and the `retention` policy through the real binary.
final class PruneTests: XCTestCase {
    static let utc = ["TZ": "UTC"]

    static func config(policies: String = "", autoPolicies: String = "[]", extraJobs: String = "", rows: Int = 3) -> String {
        """
        repository: ./backups
        sources:
          gen: { plugin: sample, rows: \(rows), tables: [items] }
          broken: { plugin: sample, rows: 3000, tables: [items], fail_after: 1500 }
        sinks:
          json: { plugin: json }
        policies:
          placeholder: { plugin: retention, keep_last: 1000 }
        \(policies)
        jobs:
          auto: { sources: [gen], sinks: [json], policies: \(autoPolicies) }
          other: { sources: [gen], sinks: [json] }
        \(extraJobs)
        """
    }

    struct Plan: Decodable {
        struct Kept: Decodable { var id: String; var time: String; var reasons: [String] }
        struct Removed: Decodable { var id: String; var time: String }
        var keep: [Kept]
        var remove: [Removed]
    }

    @discardableResult
    func run(_ workspace: Workspace, _ arguments: [String], status: Int32 = 0, file: StaticString = #filePath,
             line: UInt = #line) throws -> CLI.Result {
        let result = try CLI.harness.run(arguments, in: workspace.url, environment: Self.utc)
        XCTAssertEqual(result.status, status, "\(arguments): \(result.stdout) \(result.stderr)", file: file, line: line)
        return result
    }

    func plan(_ workspace: Workspace, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Plan {
        let result = try run(workspace, ["prune"] + arguments + ["--dry-run", "--json"], file: file, line: line)
        return try JSONDecoder().decode(Plan.self, from: Data(result.stdout.utf8))
    }

    func makeSets(_ workspace: Workspace, job: String, times: [String]) throws {
        for time in times { try run(workspace, ["run", job, "--time", time]) }
    }

    /// Rewrites the job of every set of `from` in its manifest.
    func renameJob(_ workspace: Workspace, from: String, to: String) throws {
        let sets = workspace.repository.appendingPathComponent("sets")
        for name in try FileManager.default.contentsOfDirectory(atPath: sets.path) {
            let manifest = sets.appendingPathComponent(name).appendingPathComponent("manifest.json")
            let text = try String(contentsOf: manifest, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "\"job\" : \"\(from)\"", with: "\"job\" : \"\(to)\"").utf8).write(to: manifest)
        }
    }

    func times(_ workspace: Workspace, job: String) throws -> [String] {
        try workspace.listedSets().filter { $0.job == job }.map(\.time)
    }

    static let sundays = ["09-01", "09-08", "09-15", "09-22", "09-29", "10-06", "10-13", "10-20", "10-27", "11-03",
                          "11-10", "11-17"].map { "2019-\($0)T10:00:00Z" }

    /// restic's doc/060_forget.rst: a set every Sunday for 12 weeks, `--keep-daily 4`.
    func testResticSundayExampleThroughTheBinary() throws {
        let workspace = try Workspace(config: Self.config())
        try makeSets(workspace, job: "auto", times: Self.sundays)
        let listed = try workspace.listedSets()
        XCTAssertEqual(listed.count, 12)
        let idByTime = Dictionary(uniqueKeysWithValues: listed.map { ($0.time, $0.id) })

        let plan = try plan(workspace, ["auto", "--keep-daily", "4"])
        XCTAssertEqual(plan.keep.map(\.time), Self.sundays.suffix(4).reversed())
        XCTAssertEqual(plan.keep.map(\.id), Self.sundays.suffix(4).reversed().map { idByTime[$0]! })
        XCTAssertEqual(plan.keep.map(\.reasons), Array(repeating: ["daily snapshot"], count: 4))
        XCTAssertEqual(plan.remove.map(\.time), Self.sundays.prefix(8).reversed())
        XCTAssertEqual(plan.remove.map(\.id), Self.sundays.prefix(8).reversed().map { idByTime[$0]! })
        XCTAssertEqual(try workspace.listedSets().count, 12, "--dry-run removes nothing")

        // Text output, then the real thing through the alias.
        let text = try run(workspace, ["prune", "auto", "--keep-daily", "4", "--dry-run"])
        XCTAssertTrue(text.stdout.contains("job auto: keep 4, remove 8"), text.stdout)
        XCTAssertTrue(text.stdout.contains("keep   \(idByTime[Self.sundays[11]]!)  \(Self.sundays[11])  daily snapshot"), text.stdout)
        XCTAssertTrue(text.stdout.contains("remove \(idByTime[Self.sundays[0]]!)  \(Self.sundays[0])"), text.stdout)
        try run(workspace, ["cleanup", "auto", "--keep-daily", "4"])
        XCTAssertEqual(try times(workspace, job: "auto"), Array(Self.sundays.suffix(4)))
        try run(workspace, ["verify"])
    }

    /// Fractions of a second order sets; the same time twice gives two sets, the later written counting as newer.
    func testFractionsAndEqualTimes() throws {
        let workspace = try Workspace(config: Self.config())
        try makeSets(workspace, job: "auto", times: ["2019-09-01T10:00:00.25Z", "2019-09-01T10:00:00.75Z",
                                                     "2019-09-01T10:00:00.75Z"])
        let plan = try plan(workspace, ["auto", "--keep-last", "2"])
        XCTAssertEqual(plan.keep.map(\.time), ["2019-09-01T10:00:00.75Z", "2019-09-01T10:00:00.75Z"])
        XCTAssertEqual(plan.keep.map(\.reasons), [["last snapshot"], ["last snapshot"]])
        XCTAssertEqual(plan.remove.map(\.time), ["2019-09-01T10:00:00.25Z"])
        XCTAssertGreaterThan(plan.keep[0].id, plan.keep[1].id)
    }

    func testConfigRulesApplyAndFlagsOverrideThem() throws {
        let workspace = try Workspace(config: Self.config())
        try makeSets(workspace, job: "auto", times: Array(Self.sundays.prefix(5)))
        try workspace.write("cadang.yaml", Self.config(policies: "  harian: { plugin: retention, keep_last: 2, keep_monthly: 1 }",
                                                       autoPolicies: "[harian]"))
        let configured = try plan(workspace, ["auto"])
        XCTAssertEqual(configured.keep.map(\.time), [Self.sundays[4], Self.sundays[3]])
        XCTAssertEqual(configured.keep.map(\.reasons), [["last snapshot", "monthly snapshot"], ["last snapshot"]])
        XCTAssertEqual(configured.remove.count, 3)

        let overridden = try self.plan(workspace, ["auto", "--keep-last", "4"])
        XCTAssertEqual(overridden.keep.map(\.reasons), Array(repeating: ["last snapshot"], count: 4))
        XCTAssertEqual(overridden.remove.map(\.time), [Self.sundays[0]])

        // As in restic, a set exactly at the span's start is outside it.
        let within = try self.plan(workspace, ["auto", "--keep-within", "14d"])
        XCTAssertEqual(within.keep.map(\.reasons), Array(repeating: ["within 14d"], count: 2))
        XCTAssertEqual(within.remove.count, 3)

        try run(workspace, ["prune"])
        XCTAssertEqual(try times(workspace, job: "auto"), [Self.sundays[3], Self.sundays[4]])
    }

    func testEmptyPolicyAndRemoveAllAreRefused() throws {
        let workspace = try Workspace(config: Self.config(policies: "  empty: { plugin: retention }",
                                                          extraJobs: "  bare: { sources: [gen], sinks: [json], policies: [empty] }"))
        // The job cannot even run with an empty retention policy.
        let refusedRun = try run(workspace, ["run", "bare"], status: 2)
        XCTAssertTrue(refusedRun.stderr.contains("no keep_* rule"), refusedRun.stderr)
        try makeSets(workspace, job: "other", times: Array(Self.sundays.prefix(3)))
        try run(workspace, ["config", "check"], status: 2)

        let empty = try run(workspace, ["prune", "bare"], status: 2)
        XCTAssertTrue(empty.stderr.contains("no keep_* rule"), empty.stderr)
        let zero = try run(workspace, ["prune", "other", "--keep-last", "0"], status: 2)
        XCTAssertTrue(zero.stderr.contains("would remove every set"), zero.stderr)
        let none = try run(workspace, ["prune", "other"], status: 2)
        XCTAssertTrue(none.stderr.contains("no retention rules for job 'other'"), none.stderr)
        try run(workspace, ["prune", "other", "--keep-daily", "x"], status: 2)
        try run(workspace, ["prune", "other", "--keep-within", "1w"], status: 2)
        XCTAssertEqual(try workspace.listedSets().count, 3)

        // With --allow-remove-all, rules that keep nothing remove every set.
        try run(workspace, ["prune", "other", "--keep-last", "0", "--allow-remove-all"])
        XCTAssertEqual(try workspace.listedSets().count, 0)
    }

    func testNoRulesAnywhereIsRefused() throws {
        let workspace = try Workspace(config: Self.config())
        let result = try run(workspace, ["prune"], status: 2)
        XCTAssertTrue(result.stderr.contains("no retention rules"), result.stderr)
        try run(workspace, ["prune", "nosuchjob", "--keep-last", "1"], status: 2)
    }

    func testJobsAreNeverCrossedAndUnconfiguredJobsAreLeftAlone() throws {
        let workspace = try Workspace(config: Self.config(extraJobs: "  gone: { sources: [gen], sinks: [json] }"))
        for time in Self.sundays.prefix(4) {
            try makeSets(workspace, job: "auto", times: [time])
            try makeSets(workspace, job: "other", times: [time])
            try makeSets(workspace, job: "gone", times: [time])
        }
        // `gone` leaves the config: its sets stay in the repository.
        try workspace.write("cadang.yaml", Self.config(policies: "  one: { plugin: retention, keep_last: 1 }",
                                                       autoPolicies: "[one]"))
        let plan = try plan(workspace, [])
        XCTAssertEqual(plan.keep.map(\.time), [Self.sundays[3]])
        XCTAssertEqual(plan.remove.count, 3)
        let autoIDs = Set(try workspace.listedSets().filter { $0.job == "auto" }.map(\.id))
        XCTAssertTrue(Set(plan.remove.map(\.id)).isSubset(of: autoIDs))

        try run(workspace, ["prune"])
        XCTAssertEqual(try times(workspace, job: "auto"), [Self.sundays[3]])
        XCTAssertEqual(try times(workspace, job: "other").count, 4)
        XCTAssertEqual(try times(workspace, job: "gone").count, 4)

        // Flags without a job apply to each job of the config on its own, still never to `gone`.
        try run(workspace, ["prune", "--keep-last", "2"])
        XCTAssertEqual(try times(workspace, job: "auto"), [Self.sundays[3]])
        XCTAssertEqual(try times(workspace, job: "other"), Array(Self.sundays[2...3]))
        XCTAssertEqual(try times(workspace, job: "gone").count, 4)
        // Named explicitly with flags, a job that left the config can be pruned.
        try run(workspace, ["prune", "gone", "--keep-last", "1"])
        XCTAssertEqual(try times(workspace, job: "gone"), [Self.sundays[3]])
    }

    func testBeforeRestoreSetsKeepTheLastTen() throws {
        let workspace = try Workspace(config: Self.config(
            policies: "  one: { plugin: retention, keep_last: 1 }", autoPolicies: "[]",
            extraJobs: "  safety: { sources: [gen], sinks: [json] }\n  kept: { sources: [gen], sinks: [json], policies: [one] }"))
        // `before-restore` is a reserved job name, so the safety sets a restore would save are
        // made by another job and given that job in their manifests.
        try makeSets(workspace, job: "safety", times: Self.sundays)
        try renameJob(workspace, from: "safety", to: "before-restore")
        try makeSets(workspace, job: "auto", times: Array(Self.sundays.prefix(2)))
        let plan = try plan(workspace, [])
        XCTAssertEqual(plan.keep.map(\.time), Self.sundays.suffix(10).reversed())
        XCTAssertEqual(plan.keep.map(\.reasons), Array(repeating: ["last snapshot"], count: 10))
        XCTAssertEqual(plan.remove.map(\.time), Self.sundays.prefix(2).reversed())
        // Flags for another job do not touch them; flags naming before-restore do.
        let named = try self.plan(workspace, ["before-restore", "--keep-last", "3"])
        XCTAssertEqual(named.keep.count, 3)
        try run(workspace, ["prune"])
        XCTAssertEqual(try times(workspace, job: "before-restore").count, 10)
        XCTAssertEqual(try times(workspace, job: "auto").count, 2)
    }

    func testAJobWithARetentionPolicyPrunesItselfAfterASuccessfulRunOnly() throws {
        let workspace = try Workspace(config: Self.config())
        try makeSets(workspace, job: "auto", times: Array(Self.sundays.prefix(3)))
        try makeSets(workspace, job: "other", times: Array(Self.sundays.prefix(3)))

        // A failed run commits nothing and prunes nothing.
        let failing = Self.config(policies: "  two: { plugin: retention, keep_last: 2 }", autoPolicies: "[two]")
            .replacingOccurrences(of: "auto: { sources: [gen]", with: "auto: { sources: [broken]")
        try workspace.write("cadang.yaml", failing)
        try run(workspace, ["run", "auto", "--time", Self.sundays[3]], status: 1)
        XCTAssertEqual(try times(workspace, job: "auto").count, 3)

        try workspace.write("cadang.yaml", Self.config(policies: "  two: { plugin: retention, keep_last: 2 }", autoPolicies: "[two]"))
        try run(workspace, ["run", "auto", "--time", Self.sundays[3]])
        XCTAssertEqual(try times(workspace, job: "auto"), Array(Self.sundays[2...3]))
        XCTAssertEqual(try times(workspace, job: "other").count, 3, "other jobs are not pruned")
        // The set just written is never removed: written with an older time, nothing is pruned.
        let backfill = try run(workspace, ["run", "auto", "--time", Self.sundays[0]])
        XCTAssertTrue(backfill.stderr.contains("removed nothing"), backfill.stderr)
        XCTAssertEqual(try times(workspace, job: "auto"), [Self.sundays[0]] + Array(Self.sundays[2...3]))
        try run(workspace, ["verify"])
    }

    /// Prune takes the repository lock (exit 11 while a run holds it); `--dry-run` only reads.
    func testPruneTakesTheLockAndDryRunDoesNot() throws {
        let workspace = try Workspace(config: Self.config(
            extraJobs: "  slow: { sources: [slowgen], sinks: [json] }")
            .replacingOccurrences(of: "sinks:\n", with: "  slowgen: { plugin: sample, rows: 40000, columns: 2, delay: 100ms }\nsinks:\n"))
        try makeSets(workspace, job: "auto", times: Array(Self.sundays.prefix(3)))
        let holder = try CLI.harness.start(["run", "slow"], in: workspace.url, environment: Self.utc)
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() } }
        let lock = workspace.repository.appendingPathComponent("lock")
        for _ in 0..<200 {
            if let data = FileManager.default.contents(atPath: lock.path), !data.isEmpty { break }
            usleep(20_000)
        }
        let locked = try run(workspace, ["prune", "auto", "--keep-last", "1"], status: 11)
        XCTAssertTrue(locked.stderr.contains("cadang run slow"), locked.stderr)
        let dry = try plan(workspace, ["auto", "--keep-last", "-1"])
        XCTAssertEqual(dry.keep.count, 3)
        XCTAssertEqual(dry.keep.map(\.reasons), Array(repeating: ["last snapshot"], count: 3))
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        // The killed run's staging folder is swept by the prune.
        try run(workspace, ["prune", "auto", "--keep-last", "1"])
        XCTAssertEqual(try times(workspace, job: "auto"), [Self.sundays[2]])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workspace.repository.appendingPathComponent("tmp").path), [])
    }

    /// A prune killed by SIGKILL at random points never leaves a listed set damaged.
    func testPruneKilledAtRandomPointsNeverLeavesADamagedSet() throws {
        let workspace = try Workspace(config: Self.config(rows: 50)
            .replacingOccurrences(of: "tables: [items] }\n  broken", with: "tables: [a, b, c, d, e, f], file_bytes: 20000 }\n  broken"))
        var generator = SystemRandomNumberGenerator()
        var made = 0
        func replenish(to count: Int) throws {
            var current = try workspace.listedSets().count
            while current < count {
                made += 1
                try run(workspace, ["run", "auto", "--time", String(format: "2020-01-01T00:00:%02d.%03dZ", made / 1000 % 60, made % 1000)])
                current += 1
            }
        }
        var interrupted = 0
        var midway = 0
        let setsFolder = workspace.repository.appendingPathComponent("sets").path
        func setFolders() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: setsFolder).count) ?? 0 }
        for round in 0..<50 {
            try replenish(to: 12)
            let before = try workspace.listedSets().count
            let foldersBefore = setFolders()
            let keepLast = Int.random(in: 1...3, using: &generator)
            let process = try CLI.harness.start(["prune", "auto", "--keep-last", "\(keepLast)"],
                                                in: workspace.url, environment: Self.utc)
            // Odd rounds: anywhere in the process's life. Even rounds: the moment the first set
            // leaves the sets folder, watched rather than guessed, so a slow machine hits it too.
            if round % 2 == 1 {
                usleep(UInt32(Int.random(in: 0...120_000, using: &generator)))
            } else {
                let deadline = Date().addingTimeInterval(20)
                while process.isRunning, setFolders() >= foldersBefore, Date() < deadline {}
            }
            let running = process.isRunning
            if running { interrupted += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let after = try workspace.listedSets().count
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.repository.appendingPathComponent("tmp").path)
            if !leftovers.isEmpty || (after < before && after > keepLast) { midway += 1 }
            let verify = try CLI.harness.run(["verify"], in: workspace.url, environment: Self.utc)
            XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
            for set in try workspace.listedSets() {
                for artifact in set.artifacts {
                    XCTAssertTrue(FileManager.default.fileExists(atPath: artifact.path), "\(set.id): \(artifact.path) missing")
                }
            }
        }
        print("PruneTests: \(interrupted) of 50 prunes killed while running, \(midway) of them midway through removing")
        XCTAssertGreaterThan(interrupted, 0, "no prune was interrupted")
        XCTAssertGreaterThan(midway, 0, "no prune was killed while removing sets")
        try run(workspace, ["prune", "auto", "--keep-last", "1"])
        XCTAssertEqual(try workspace.listedSets().count, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workspace.repository.appendingPathComponent("tmp").path), [])
        try run(workspace, ["verify"])
    }
}
