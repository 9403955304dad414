@testable import ArchiveSupport
import CadangCore
import Foundation
import XCTest

/// The writer's own proof: every fault that would otherwise leave a damaged archive is caught
/// before `finish` returns, by the check meant for it, and a clean archive is re-read from the
/// drive rather than from memory.
final class ArchiveProofTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-proof-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        ArchiveFault.inject(nil)
        try? FileManager.default.removeItem(at: folder)
    }

    /// A set with a manifest and files of these sizes (pseudo-random text).
    private func makeSet(sizes: [Int]) throws -> TestSet {
        try TestSet(in: folder, sizes: sizes, seed: 0x2545_F491_4F6C_DD1D, letters: 24)
    }

    private func pack(_ set: TestSet, _ compression: ArchiveCompression,
                      threads: Int = 1, name: String = UUID().uuidString) throws -> (URL, SetArchiveWriter.Finished) {
        let url = folder.appendingPathComponent(name + compression.fileExtension)
        let writer = try SetArchiveWriter(creating: url, compression: compression, level: compression.defaultLevel, threads: threads)
        try set.add(to: writer)
        return (url, try writer.finish())
    }

    /// Packs with `fault` injected; the writer must throw a damaged-archive error containing `expected`.
    private func assertCaught(_ fault: ArchiveFault, _ compression: ArchiveCompression, threads: Int = 1,
                              sizes: [Int], expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let set = try makeSet(sizes: sizes)
        ArchiveFault.inject(fault)
        defer { ArchiveFault.inject(nil) }
        let label = "\(fault.rawValue), \(compression.rawValue), \(threads) thread(s)"
        XCTAssertThrowsError(try pack(set, compression, threads: threads), label, file: file, line: line) { error in
            guard let error = error as? CadangError else { return XCTFail("\(label): \(error)", file: file, line: line) }
            XCTAssertEqual(error.status, .damaged, "\(label): \(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains(expected), "\(label): \(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains(self.folder.path), "\(label): names the file: \(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains("did not get its final name"), "\(label): \(error)", file: file, line: line)
            XCTAssertNotNil(error.fix, label, file: file, line: line)
        }
    }

    private static let streamCheck = "failed its check while it was written"

    func testAFlippedCompressedByteIsCaughtWhileWriting() throws {
        let block = GzipMemberStream.blockSize
        // One member, and several (the fault hits the first; the others are still proved).
        for sizes in [[300_000], [3 * block + 17]] {
            for threads in [1, 2] {
                try assertCaught(.compressedByte, .gzip, threads: threads, sizes: sizes, expected: "gzip member 1 does not inflate")
            }
        }
        // zstd: the frame's content checksum (or its block structure) refuses it.
        for threads in [1, 2] {
            try assertCaught(.compressedByte, .zstd, threads: threads, sizes: [300_000], expected: Self.streamCheck)
        }
        // A plain tar: the byte lands in the file's data (the middle of the first slot).
        try assertCaught(.compressedByte, .none, sizes: [2_000_000], expected: "file0.csv does not match its SHA-256 in the manifest")
    }

    func testAMemberOfOtherBytesIsCaughtByComparingWithTheInput() throws {
        // Valid gzip with a right CRC-32 — only the comparison with the input finds it.
        for threads in [1, 3] {
            try assertCaught(.wrongMember, .gzip, threads: threads, sizes: [10, 3 * GzipMemberStream.blockSize],
                             expected: "gzip member 1 inflates to other bytes than were compressed")
        }
    }

    func testAByteThatChangedOnTheWayInIsCaughtAgainstTheManifest() throws {
        for compression in ArchiveCompression.allCases {
            try assertCaught(.inputByte, compression, sizes: [0, 500_000], expected: "file1.csv does not match its SHA-256 in the manifest")
        }
        try assertCaught(.inputByte, .gzip, threads: 2, sizes: [5 * GzipMemberStream.blockSize],
                         expected: "file0.csv does not match its SHA-256 in the manifest")
    }

    func testAByteChangedOnTheDriveIsCaughtByTheReread() throws {
        for compression in ArchiveCompression.allCases {
            try assertCaught(.driveByte, compression, sizes: [400_000], expected: "read back from the drive is not what was written")
        }
    }

    func testACleanArchiveIsProvedAndRereadFromTheDrive() throws {
        let set = try makeSet(sizes: [0, 1, 3 * GzipMemberStream.blockSize + 5])
        for compression in ArchiveCompression.allCases {
            let (url, finished) = try pack(set, compression, threads: 2)
            XCTAssertEqual(finished.manifest, set.manifest, compression.rawValue)
            XCTAssertEqual(finished.sha256, try FileSystem.sha256(of: url).sha256, compression.rawValue)
            XCTAssertEqual(finished.bytes, try FileSystem.sha256(of: url).bytes, compression.rawValue)
            let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
            XCTAssertEqual(Int64(finished.pages), (finished.bytes + page - 1) / page, compression.rawValue)
            // Every page came from the drive, unless the folder is on a filesystem without one.
            if !["tmpfs", "ramfs"].contains(try Self.filesystemType(of: folder)) {
                XCTAssertEqual(finished.cachedPages, 0, "\(compression.rawValue): pages were dropped before the re-read")
            }
            XCTAssertEqual(try SetArchiveReader(url: url).read().manifest, set.manifest, compression.rawValue)
        }
    }

    /// The type of the filesystem holding `url`, from /proc/mounts (the longest mount point above it).
    private static func filesystemType(of url: URL) throws -> String {
        let path = url.resolvingSymlinksInPath().path
        let mounts = try String(contentsOfFile: "/proc/mounts", encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ") }
        let holding = mounts.filter { $0.count > 2 && (path == String($0[1]) || path.hasPrefix($0[1] == "/" ? "/" : "\($0[1])/")) }
        return holding.max { $0[1].count < $1[1].count }.map { String($0[2]) } ?? "unknown"
    }

    func testAWriterAbandonedMidwayStopsItsThreadsAndWritesNothingMore() throws {
        for compression in ArchiveCompression.allCases {
            let set = try makeSet(sizes: [3 * GzipMemberStream.blockSize])
            let url = folder.appendingPathComponent("abandoned\(compression.fileExtension)")
            do {
                let writer = try SetArchiveWriter(creating: url, compression: compression, level: compression.defaultLevel, threads: 2)
                try writer.add(bytes: Array(try Data(contentsOf: set.directory.appendingPathComponent(Manifest.fileName))),
                               as: "\(set.id)/\(Manifest.fileName)", modified: Date())
                let artifact = set.manifest.artifacts[0]
                let file = set.directory.appendingPathComponent(artifact.path)
                // The file shrank after the set was written: the writer fails mid-entry.
                XCTAssertEqual(truncate(file.path, off_t(artifact.bytes / 2)), 0)
                XCTAssertThrowsError(try writer.add(file: file, as: "\(set.id)/\(artifact.path)",
                                                    size: artifact.bytes, modified: Date())) { error in
                    XCTAssertTrue("\(error)".contains("changed while it was archived"), "\(error)")
                }
            }
            // The writer is gone (its deinit joined the proving thread), so the file no longer grows.
            let size = try FileSystem.sha256(of: url).bytes
            usleep(100_000)
            XCTAssertEqual(try FileSystem.sha256(of: url).bytes, size, compression.rawValue)
        }
    }
}
