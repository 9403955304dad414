import Foundation
import XCTest

final class LockTests: XCTestCase {
    static let config = """
        sources:
          slow: { plugin: sample, rows: 40000, columns: 4, delay: 100ms }
          fast: { plugin: sample, rows: 10 }
        sinks:
          csv: { plugin: csv }
        jobs:
          slow: { sources: [slow], sinks: [csv] }
          fast: { sources: [fast], sinks: [csv] }
        """

    private func waitForLockHolder(_ workspace: Workspace) {
        let lock = workspace.repository.appendingPathComponent("lock")
        for _ in 0..<200 {
            if let data = FileManager.default.contents(atPath: lock.path), !data.isEmpty { return }
            usleep(20_000)
        }
        XCTFail("the first run never took the lock")
    }

    func testSecondRunExits11NamingTheHolderOrWaitsWithLockWait() throws {
        let workspace = try Workspace(config: Self.config)
        let holder = try CLI.harness.start(["run", "slow"], in: workspace.url)
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        waitForLockHolder(workspace)

        let refused = try CLI.harness.run(["run", "fast"], in: workspace.url)
        XCTAssertEqual(refused.status, 11, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is locked by cadang run slow (PID \(holder.processIdentifier) on host"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--lock-wait"), refused.stderr)

        let waited = try CLI.harness.run(["run", "fast", "--lock-wait", "60s"], in: workspace.url)
        XCTAssertEqual(waited.status, 0, waited.stderr)
        XCTAssertFalse(holder.isRunning, "the waiting run got the lock only after the holder finished")
        XCTAssertEqual(holder.terminationStatus, 0)
        XCTAssertEqual(try workspace.listedSets().map(\.job), ["slow", "fast"])
    }

    func testLockWaitGivesUpWithExit11() throws {
        let workspace = try Workspace(config: Self.config)
        let holder = try CLI.harness.start(["run", "slow"], in: workspace.url)
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        waitForLockHolder(workspace)
        let refused = try CLI.harness.run(["run", "fast", "--lock-wait", "300ms"], in: workspace.url)
        XCTAssertEqual(refused.status, 11, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("after waiting"), refused.stderr)
    }

    func testLockOfAKilledProcessIsTakenOver() throws {
        let workspace = try Workspace(config: Self.config)
        let holder = try CLI.harness.start(["run", "slow"], in: workspace.url)
        waitForLockHolder(workspace)
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let next = try CLI.harness.run(["run", "fast"], in: workspace.url)
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertTrue(next.stderr.contains("took over a stale lock left by cadang run slow (PID \(holder.processIdentifier)"), next.stderr)
        XCTAssertEqual(try workspace.listedSets().map(\.job), ["fast"])
    }
}
