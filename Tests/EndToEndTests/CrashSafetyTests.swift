import Foundation
import XCTest

final class CrashSafetyTests: XCTestCase {
    /// Every folder under sets/ must be a complete set: a manifest whose artifacts all exist with
    /// the recorded size and SHA-256, and nothing else.
    /// Sets already checked file by file (a set never changes once listed).
    private var verified: Set<String> = []

    private func assertEveryListedSetIsComplete(_ workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) throws {
        let setsFolder = workspace.repository.appendingPathComponent("sets")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: setsFolder.path)) ?? []
        let listed = try workspace.listedSets()
        XCTAssertEqual(Set(folders), Set(listed.map(\.id)), "a folder in sets/ without a valid manifest", file: file, line: line)
        for set in listed where !verified.contains(set.id) {
            verified.insert(set.id)
            let names = try FileManager.default.contentsOfDirectory(atPath: setsFolder.appendingPathComponent(set.id).path)
            XCTAssertEqual(Set(names), Set(set.artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent } + ["manifest.json"]),
                           file: file, line: line)
            for artifact in set.artifacts {
                XCTAssertEqual(try Independent.sha256(artifact.path), artifact.sha256, artifact.path, file: file, line: line)
            }
        }
    }

    func testSIGKILLAtRandomPointsNeverLeavesAHalfSetListed() throws {
        let workspace = try Workspace(config: """
            sources:
              gen: { plugin: sample, rows: 60000, columns: 6, file_bytes: 2000000, delay: 2ms }
            sinks:
              csv: { plugin: csv }
              json: { plugin: json }
            jobs:
              auto: { sources: [gen], sinks: [csv, json] }
            """)
        // One undisturbed run tells how long a run takes, so kills land all along it.
        let started = Date()
        XCTAssertEqual(try CLI.harness.run(["run"], in: workspace.url).status, 0)
        let duration = Date().timeIntervalSince(started)
        var generator = SystemRandomNumberGenerator()
        var killedMidRun = 0
        for _ in 0..<50 {
            let process = try CLI.harness.start(["run"], in: workspace.url)
            usleep(useconds_t(Double.random(in: 0...(duration * 1.1), using: &generator) * 1_000_000))
            if process.isRunning { killedMidRun += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try assertEveryListedSetIsComplete(workspace)
        }
        XCTAssertGreaterThan(killedMidRun, 25, "most kills should land while the run is working")
        let after = try CLI.harness.run(["run"], in: workspace.url)
        XCTAssertEqual(after.status, 0, after.stderr)
        try assertEveryListedSetIsComplete(workspace)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workspace.repository.appendingPathComponent("tmp").path), [],
                       "the next run sweeps what killed runs left")
    }
}
