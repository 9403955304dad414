import CadangCore
import Foundation
import XCTest

/// `OpenFileHolders` against real processes that hold a file open.
final class OpenFileHoldersTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-holders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// `sleep` with the file open on descriptor 3 (the shell execs into it: same PID).
    private func hold(_ url: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec 3<\"$1\"; exec sleep 30", "sh", url.path]
        try process.run()
        // Until the exec into sleep has happened, /proc shows sh.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, OpenFileHolders.scan(url).holders.first(where: { $0.pid == process.processIdentifier })?.name != "sleep" {
            usleep(10_000)
        }
        return process
    }

    func testFindsTheProcessThatHoldsTheFileByNameAndPID() throws {
        let file = folder.appendingPathComponent("kasir.db")
        let other = folder.appendingPathComponent("other.db")
        try Data("x".utf8).write(to: file)
        try Data("y".utf8).write(to: other)
        let holder = try hold(file)
        defer { holder.terminate(); holder.waitUntilExit() }

        let scan = OpenFileHolders.scan(file)
        XCTAssertEqual(scan.holders, [OpenFileHolder(pid: holder.processIdentifier, name: "sleep")])
        XCTAssertEqual(scan.names(), "sleep (PID \(holder.processIdentifier))")
        XCTAssertEqual(OpenFileHolders.scan(other).holders, [], "another file in the same folder is not held")
    }

    func testMatchesThroughALinkAndNeverListsThisProcess() throws {
        let file = folder.appendingPathComponent("kasir.db")
        try Data("x".utf8).write(to: file)
        let mine = try FileHandle(forReadingFrom: file)
        defer { try? mine.close() }
        XCTAssertEqual(OpenFileHolders.scan(file).holders, [], "this process's own descriptor does not count")

        let link = folder.appendingPathComponent("link.db")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        let holder = try hold(link)
        defer { holder.terminate(); holder.waitUntilExit() }
        XCTAssertEqual(OpenFileHolders.scan(file).holders.map(\.pid), [holder.processIdentifier], "same inode, another path")
    }

    func testAMissingFileHasNoHolders() {
        XCTAssertEqual(OpenFileHolders.scan(folder.appendingPathComponent("missing.db")).holders, [])
    }
}
