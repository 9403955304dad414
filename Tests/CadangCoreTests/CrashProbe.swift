import CadangCore
import Foundation
import XCTest

/// Runs one scenario that may crash the process (a trap in the core) in a child copy of this test
/// binary, so a crash fails one test instead of ending the whole run.
///
/// The parent test calls `CrashProbe.run("name")`; the child runs `testScenario` with
/// `CADANG_CORE_TESTS_PROBE=name`. Without the variable, `testScenario` checks the in-range
/// counterparts of the scenarios in-process.
final class CrashProbe: TemporaryFolderTestCase {
    static let environmentKey = "CADANG_CORE_TESTS_PROBE"
    /// The folder the child works in: inside the parent's temporary folder, so that the parent's
    /// tearDown removes it even when the child crashed before its own tearDown.
    static let folderKey = "CADANG_CORE_TESTS_PROBE_FOLDER"

    static func run(_ scenario: String, in folder: URL) throws -> CommandResult {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return try runCommand(executable, ["CadangCoreTests.CrashProbe/testScenario"],
                              environment: [environmentKey: scenario, "SWIFT_BACKTRACE": "enable=no",
                                            folderKey: folder.appendingPathComponent("child-\(scenario)").path])
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        if let folder = ProcessInfo.processInfo.environment[Self.folderKey] {
            try? FileManager.default.removeItem(at: root)
            root = URL(fileURLWithPath: folder, isDirectory: true)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }
    }

    /// Asserts that the child ran its one test to the end without failures.
    static func assertPassed(_ result: CommandResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let notes = (result.stdout + result.stderr).split(separator: "\n")
            .filter { $0.contains("Fatal error") || $0.contains("error:") }.joined(separator: " | ")
        guard result.reason == .exit else {
            return XCTFail("\(what) crashed the process (signal \(result.status)): \(notes)", file: file, line: line)
        }
        XCTAssertEqual(result.status, 0, "\(what) failed: \(notes)", file: file, line: line)
        XCTAssertTrue(result.stdout.contains("Executed 1 test, with 0 failures"),
                      "\(what): the child did not run its test:\n\(result.stdout.suffix(600))", file: file, line: line)
    }

    func testScenario() throws {
        let base = Date(timeIntervalSince1970: 1_769_875_200) // 2026-01-31T16:00:00Z
        switch ProcessInfo.processInfo.environment[Self.environmentKey] {
        case "timestamp-offset":
            // Hours above 23 are not RFC 3339; offsets beyond ±18:00 are not representable by TimeZone.
            XCTAssertNil(Timestamp.parse("2026-01-31T23:00:00+99:00"))
            XCTAssertNil(Timestamp.parse("2026-01-31T23:00:00+24:00"))
            XCTAssertNil(Timestamp.parse("2026-01-31T23:00:00-30:00"))
            // +19:00 is valid RFC 3339 syntax: either the right instant or nil, never a crash.
            if let parsed = Timestamp.parse("2026-02-01T11:00:00+19:00") { XCTAssertEqual(parsed, base) }
        case "manifest-offset":
            let repository = makeRepository()
            let staged = try repository.beginSet(job: "daily", time: base)
            let good = try staged.commit(sources: [], warnings: [], tool: "t")
            var manifest = good.manifest
            manifest.id = SetID.make(time: base.addingTimeInterval(60))
            manifest.time = "2026-01-31T23:01:00+99:00"
            let folder = repository.url.appendingPathComponent("sets").appendingPathComponent(manifest.id)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            try Data(try manifest.encoded()).write(to: folder.appendingPathComponent(Manifest.fileName))
            XCTAssertEqual(repository.sets().map(\.id), [good.id])
            XCTAssertNil(repository.set(id: manifest.id))
        default:
            // In range: the extreme offsets TimeZone accepts.
            XCTAssertEqual(Timestamp.parse("2026-02-01T10:00:00+18:00"), base)
            XCTAssertEqual(Timestamp.parse("2026-01-30T22:00:00-18:00"), base)
        }
    }
}
