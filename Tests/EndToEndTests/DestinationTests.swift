import Foundation
import XCTest

/// A repository on a full or read-only filesystem (real tmpfs mounts: the tests run as root, as CI does).
final class DestinationTests: XCTestCase {
    private let mounts = TmpfsMounts()
    /// Kept until the mounts are gone, so each workspace folder can be removed afterwards.
    private var workspaces: [Workspace] = []

    override func tearDown() {
        mounts.unmountAll()
        workspaces = []
    }

    private func workspaceWithDrive(options: String) throws -> Workspace {
        let workspace = try Workspace(config: KasirTests.config().replacingOccurrences(of: "repository: ./backups", with: "repository: ./drive/backups"))
        try KasirTests.makeDatabase(at: workspace.url.appendingPathComponent("instance/kasir.db"), products: 300, transactions: 8000)
        try mounts.mount(at: workspace.url.appendingPathComponent("drive"), options: options)
        workspaces.append(workspace)
        return workspace
    }

    func testFullDestinationFailsCleanlyAndKeepsEarlierSets() throws {
        let workspace = try workspaceWithDrive(options: "size=6m")
        // A small job fits; the whole export does not.
        let first = try CLI.cadang.run(["run", "produk"], in: workspace.url)
        XCTAssertEqual(first.status, 0, first.stderr)
        let full = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("No space left on device"), full.stderr)
        XCTAssertTrue(full.stderr.contains("free some space"), full.stderr)
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.map(\.job), ["produk"], "the earlier set is intact and no half-set is listed")
        for artifact in sets[0].artifacts { XCTAssertEqual(try Independent.sha256(artifact.path), artifact.sha256) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.url.appendingPathComponent("drive/backups/tmp").path)
        XCTAssertEqual(leftovers, [], "the failed run removed its staging folder")
    }

    func testReadOnlyDestinationIsRefused() throws {
        let workspace = try workspaceWithDrive(options: "ro,size=1m")
        let run = try CLI.cadang.run(["run", "produk"], in: workspace.url)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("Read-only file system"), run.stderr)
        XCTAssertTrue(run.stderr.contains("drive/backups"), "names the folder: \(run.stderr)")
    }
}
