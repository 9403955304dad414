import Foundation
import XCTest

/// `cadang restore` on real kasir databases.
final class RestoreTests: XCTestCase {
    private var workspace: Workspace!
    private var database: URL { workspace.url.appendingPathComponent("instance/kasir.db") }

    override func setUpWithError() throws {
        workspace = try Workspace(config: KasirTests.config())
        try KasirTests.makeDatabase(at: database, products: 40, transactions: 300)
        XCTAssertEqual(try CLI.cadang.run(["run", "database"], in: workspace.url).status, 0)
        // The shop goes on: the live database moves on from the snapshot.
        try sql("INSERT INTO kategori (nama) VALUES ('Baru setelah backup')")
    }

    override func tearDown() {
        workspace = nil
    }

    private func sql(_ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database.path, statement]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    private func snapshotSet() throws -> ListedSet {
        try XCTUnwrap(try workspace.listedSets(.cadang).first { $0.job == "database" })
    }

    private func snapshotPath() throws -> String {
        try XCTUnwrap(try snapshotSet().artifacts.first { $0.dataset == "database" }).path
    }

    func testRestoreReplacesTheDatabaseAndSavesTheOldOneFirst() throws {
        let before = try Independent.sha256(database.path)
        try Data("stale journal".utf8).write(to: URL(fileURLWithPath: database.path + "-journal"))
        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("restored \(database.path)"), run.stdout)

        XCTAssertEqual(try Independent.sha256(database.path), try Independent.sha256(try snapshotPath()), "byte-identical to the set's snapshot")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database.path + "-journal"), "the stale journal is gone")
        let safety = try XCTUnwrap(try workspace.listedSets(.cadang).first { $0.job == "before-restore" })
        let saved = try XCTUnwrap(safety.artifacts.first { $0.dataset == "database" })
        XCTAssertEqual(try Independent.sha256(saved.path), before, "the before-restore set holds the previous database")
        XCTAssertEqual(safety.artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted(), ["kasir.db", "kasir.db-journal"])
        XCTAssertEqual(try CLI.cadang.run(["verify"], in: workspace.url).status, 0)
        // `latest` means the latest real backup, not the safety copy.
        let again = try CLI.cadang.run(["restore", "--dry-run"], in: workspace.url)
        XCTAssertTrue(again.stdout.contains("of set \(try snapshotSet().id)"), again.stdout)
    }

    /// The usual reason to restore: the live file is broken. It is saved as it was, but not as a
    /// database, so a later `verify` does not report the safety set as damage.
    func testRestoringOverADamagedDatabaseKeepsItButVerifyStaysClean() throws {
        try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: database)
        let junk = try Independent.sha256(database.path)
        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try Independent.sha256(database.path), try Independent.sha256(try snapshotPath()))
        let safety = try XCTUnwrap(try workspace.listedSets(.cadang).first { $0.job == "before-restore" })
        let saved = try XCTUnwrap(safety.artifacts.first { $0.dataset == "database" })
        XCTAssertEqual(try Independent.sha256(saved.path), junk, "kept byte for byte")
        XCTAssertEqual(saved.format, "unchecked")
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testATamperedSnapshotIsRefusedWithExit4AndNothingChanges() throws {
        let before = try Independent.sha256(database.path)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: try snapshotPath()))
        try handle.seek(toOffset: 5000)
        handle.write(Data([0x42, 0x42]))
        try handle.close()
        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 4, run.stderr)
        XCTAssertTrue(run.stderr.contains("is damaged"), run.stderr)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try workspace.listedSets(.cadang).map(\.job), ["database"], "no before-restore set")
    }

    func testRestoreIsRefusedWhileAnotherConnectionHoldsAWriteLock() throws {
        let holder = try Independent.holdWriteLock(on: database)
        defer { holder.terminate(); holder.waitUntilExit() }
        let before = try Independent.sha256(database.path)

        let refused = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is in use"), refused.stderr)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try workspace.listedSets(.cadang).map(\.job), ["database"])
    }

    func testDryRunSaysWhatWouldHappenAndChangesNothing() throws {
        let before = try Independent.sha256(database.path)
        let run = try CLI.cadang.run(["restore", "--dry-run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("to \(database.path)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("saving first"), run.stdout)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try workspace.listedSets(.cadang).count, 1)
    }

    func testWithoutYesItAsks() throws {
        let before = try Independent.sha256(database.path)
        let declined = try CLI.cadang.run(["restore"], in: workspace.url, input: "n\n")
        XCTAssertEqual(declined.status, 1)
        XCTAssertTrue(declined.stderr.contains("Restore now? [y/N]"), declined.stderr)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        let accepted = try CLI.cadang.run(["restore"], in: workspace.url, input: "ya\n")
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertEqual(try Independent.pagesDigest(database.path), try Independent.pagesDigest(try snapshotPath()),
                       "restored through SQLite: the snapshot's pages")
    }

    func testRestoreToAnotherFolder() throws {
        let elsewhere = workspace.url.appendingPathComponent("pulih")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let run = try CLI.cadang.run(["restore", "database", "--set", try snapshotSet().id, "--to", elsewhere.path, "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try Independent.sha256(elsewhere.appendingPathComponent("kasir.db").path), try Independent.sha256(try snapshotPath()))
        XCTAssertEqual(try workspace.listedSets(.cadang).map(\.job), ["database"], "nothing existed there, so nothing was saved")
    }

    func testUnknownSetIsAUsageError() throws {
        let run = try CLI.cadang.run(["restore", "--set", "20990101T000000.000000Z-000000000000", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 2, run.stderr)
    }
}
