import Foundation
import XCTest

/// Hooks (ops §2) run by the shipped binary: their variables, their timeout, the 75 rule.
final class HookTests: XCTestCase {
    static func config(hooks: String, jobHooks: String = "", rows: Int = 5) -> String {
        """
        repository: ./backups
        sources:
          gen: { plugin: sample, rows: \(rows), tables: [items] }
        sinks:
          json: { plugin: json }
        hooks:
        \(hooks)
        jobs:
          auto: { sources: [gen], sinks: [json]\(jobHooks.isEmpty ? "" : ", hooks: \(jobHooks)") }
        """
    }

    /// `KEY=VALUE` lines of a file a hook wrote with `env`.
    func variables(_ workspace: Workspace, _ name: String) throws -> [String: String] {
        let text = try String(contentsOf: workspace.url.appendingPathComponent(name), encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), line.hasPrefix("CADANG_") || line.hasPrefix("HOOK_") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }

    func testHooksGetTheRunsValuesAsVariablesWithStdinFromDevNullAndUmask077() throws {
        let workspace = try Workspace(config: Self.config(hooks: """
              - { before: job, shell: "env > before.env; echo HOOK_UMASK=$(umask) >> before.env; echo HOOK_STDIN=$(readlink /proc/self/fd/0) >> before.env" }
              - { after: job, run: [/bin/sh, -c, "env > after.env"] }
            """, jobHooks: "[{ after: job, states: [fail], shell: \"touch own-fail-hook-ran\" }, { after: job, states: [success], shell: \"echo said hello; touch own-hook-ran\" }]"))
        let result = try CLI.harness.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let sets = try workspace.listedSets()
        XCTAssertEqual(sets.count, 1)
        let before = try variables(workspace, "before.env")
        XCTAssertEqual(before["CADANG_EVENT"], "before-job")
        XCTAssertEqual(before["CADANG_JOB"], "auto")
        XCTAssertEqual(before["CADANG_CONFIG"], workspace.url.appendingPathComponent("cadang.yaml").standardizedFileURL.path)
        XCTAssertEqual(before["CADANG_REPOSITORY"], workspace.repository.standardizedFileURL.path)
        XCTAssertNil(before["CADANG_STATUS"], "a before hook has no status yet")
        XCTAssertEqual(before["HOOK_UMASK"], "0077")
        XCTAssertEqual(before["HOOK_STDIN"], "/dev/null")
        let after = try variables(workspace, "after.env")
        XCTAssertEqual(after["CADANG_EVENT"], "after-job")
        XCTAssertEqual(after["CADANG_STATUS"], "success")
        XCTAssertEqual(after["CADANG_EXIT_CODE"], "0")
        XCTAssertEqual(after["CADANG_SET_ID"], sets[0].id)
        XCTAssertTrue(FileManager.default.fileExists(atPath: after["CADANG_SET_PATH"] ?? "/nonexistent"), after["CADANG_SET_PATH"] ?? "")
        XCTAssertNotNil(after["CADANG_STARTED_AT"].flatMap { ISO8601DateFormatter().date(from: $0) })
        XCTAssertNotNil(after["CADANG_FINISHED_AT"].flatMap { ISO8601DateFormatter().date(from: $0) })
        XCTAssertNil(after["CADANG_ERROR"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("own-hook-ran").path), "the job's own hook runs too")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("own-fail-hook-ran").path), "a hook for fail does not run on success")
        XCTAssertTrue(result.stderr.contains("said hello"), "a hook's output goes into the run's log: \(result.stderr)")
    }

    func testABeforeHookExiting75SkipsTheJobWithExit75AndNoSet() throws {
        let workspace = try Workspace(config: Self.config(hooks: """
              - { before: job, shell: "exit 75" }
              - { after: job, states: [skipped], shell: "env > after.env" }
            """))
        let result = try CLI.harness.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(result.status, 75, result.stdout + result.stderr)
        XCTAssertEqual(try workspace.listedSets().count, 0)
        XCTAssertEqual(try variables(workspace, "after.env")["CADANG_STATUS"], "skipped")
        XCTAssertEqual(try variables(workspace, "after.env")["CADANG_EXIT_CODE"], "75")
    }

    func testAFailingBeforeHookStopsTheJobAndTheAfterHooksSeeFail() throws {
        let workspace = try Workspace(config: Self.config(hooks: """
              - { before: job, run: [/bin/false] }
              - { after: job, states: [fail], shell: "env > after.env" }
            """))
        let result = try CLI.harness.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertEqual(try workspace.listedSets().count, 0)
        let after = try variables(workspace, "after.env")
        XCTAssertEqual(after["CADANG_STATUS"], "fail")
        XCTAssertEqual(after["CADANG_EXIT_CODE"], "1")
        XCTAssertTrue(after["CADANG_ERROR"]?.contains("/bin/false exited with status 1") == true, after["CADANG_ERROR"] ?? "")
        XCTAssertTrue(result.stderr.contains("/bin/false exited with status 1"), result.stderr)
    }

    func testAHookPastItsTimeoutIsKilledWithItsChildren() throws {
        let workspace = try Workspace(config: Self.config(hooks: """
              - { before: job, shell: "sleep 300 & echo $! > child.pid; wait", timeout: 1s }
            """))
        let started = Date()
        let result = try CLI.harness.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "SIGTERM ends it; SIGKILL at the latest 10 s later")
        XCTAssertTrue(result.stderr.contains("took longer than its timeout"), result.stderr)
        XCTAssertEqual(try workspace.listedSets().count, 0)
        let text = try String(contentsOf: workspace.url.appendingPathComponent("child.pid"), encoding: .utf8)
        let child = try XCTUnwrap(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertFalse(Self.isAlive(child), "the hook's child \(child) was killed with it")
    }

    func testAFailingAfterHookIsAWarningAndKeepsTheExitCode() throws {
        let workspace = try Workspace(config: Self.config(hooks: "  - { after: job, shell: \"exit 9\" }"))
        let result = try CLI.harness.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try workspace.listedSets().count, 1)
        XCTAssertTrue(result.stderr.contains("exited with status 9"), result.stderr)
    }

    func testDryRunRunsNoHook() throws {
        let workspace = try Workspace(config: Self.config(hooks: """
              - { before: job, shell: "touch before-ran" }
              - { after: job, shell: "touch after-ran" }
            """))
        let result = try CLI.harness.run(["run", "auto", "--dry-run"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).filter { $0.hasSuffix("-ran") }, [])
    }

    func testBadHooksAreConfigErrorsWithTheirPosition() throws {
        let workspace = try Workspace(config: Self.config(hooks: """
              - { before: job, after: job, run: [x] }
              - { before: backup, run: [x] }
              - { after: job }
              - { after: job, run: [x], states: [done], timeout: soon }
            """))
        let result = try CLI.harness.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(result.status, 2, result.stderr)
        for expected in ["cadang.yaml:8:", "exactly one of 'before: job' or 'after: job'", "'before: backup' is not known",
                         "exactly one of 'run: [program, args…]' or 'shell:", "unknown state 'done'", "timeout must be a duration"] {
            XCTAssertTrue(result.stderr.contains(expected), "\(expected) in \(result.stderr)")
        }
    }

    /// Alive and not a zombie waiting for a parent that never reaps it.
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }
}
