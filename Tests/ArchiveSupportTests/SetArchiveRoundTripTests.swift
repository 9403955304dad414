@testable import ArchiveSupport
import CadangCore
import Foundation
import XCTest

/// The archive writer and the checking reader against each other and against gzip(1), at the
/// sizes where the gzip member stream cuts blocks.
final class SetArchiveRoundTripTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-archive-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A set with a manifest and files of these sizes (pseudo-random text).
    private func makeSet(sizes: [Int]) throws -> TestSet {
        try TestSet(in: folder, sizes: sizes, seed: 0x9E37_79B9_7F4A_7C15, letters: 20)
    }

    private func pack(_ set: TestSet, _ compression: ArchiveCompression,
                      threads: Int) throws -> (URL, String) {
        let url = folder.appendingPathComponent("\(set.id)-\(threads)\(compression.fileExtension)")
        let writer = try SetArchiveWriter(creating: url, compression: compression, level: compression.defaultLevel, threads: threads)
        try set.add(to: writer)
        let finished = try writer.finish()
        XCTAssertEqual(finished.bytes, Int64(try Data(contentsOf: url).count))
        return (url, finished.sha256)
    }

    private func gzipTest(_ url: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-t", url.path]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func testEveryBlockBoundaryRoundTripsOnEveryThreadCount() throws {
        let block = GzipMemberStream.blockSize
        // The tar stream is 512-byte headers plus padded data, so these land just before, on and
        // after member cuts, and one file spans several rounds of blocks.
        let set = try makeSet(sizes: [0, 1, block - 1536, block, block + 1, 5 * block + 777])
        for threads in [1, 2, 3] {
            let (url, digest) = try pack(set, .gzip, threads: threads)
            XCTAssertEqual(try gzipTest(url), 0, "gzip -t, \(threads) thread(s)")
            XCTAssertEqual(digest, try FileSystem.sha256(of: url).sha256, "the recorded digest is the file's")
            let contents = try SetArchiveReader(url: url).read()
            XCTAssertEqual(contents.manifest, set.manifest)
            XCTAssertEqual(contents.files, set.manifest.artifacts.count)
        }
        // Threads change only how members are scheduled, never the bytes.
        let one = try Data(contentsOf: folder.appendingPathComponent("\(set.id)-1.tar.gz"))
        let three = try Data(contentsOf: folder.appendingPathComponent("\(set.id)-3.tar.gz"))
        XCTAssertEqual(one, three)
    }

    func testZstdAndPlainTarRoundTripAndExtract() throws {
        let set = try makeSet(sizes: [10, 300_000])
        for compression in [ArchiveCompression.zstd, .none] {
            let (url, _) = try pack(set, compression, threads: 1)
            let target = folder.appendingPathComponent("out-\(compression.rawValue)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let contents = try SetArchiveReader(url: url).read(extractingInto: target)
            XCTAssertEqual(contents.bytes, 300_010)
            for artifact in set.manifest.artifacts {
                XCTAssertEqual(try FileSystem.sha256(of: target.appendingPathComponent(artifact.path)).sha256, artifact.sha256)
            }
        }
    }

    func testAFlippedByteIsRefusedUnlessTheArchiveDecodesToTheSameBytes() throws {
        // Tar padding and pax records are not covered by the manifest's digests; only the stream's
        // own checks (zstd's content checksum, gzip's CRC-32 and size) catch a flip that decodes
        // cleanly there. Every position is tried; the few a decoder never reads (unused bits of an
        // entropy table) may pass, and then gzip(1) or zstd(1) must decode the same bytes too.
        let set = try makeSet(sizes: [10, 700, 3_000])
        for (compression, tool) in [(ArchiveCompression.zstd, "zstd"), (.gzip, "gzip")] {
            for threads in [1, 2] {
                let (url, _) = try pack(set, compression, threads: threads)
                let bytes = try Data(contentsOf: url)
                let original = try decode(url, with: tool)
                let flipped = folder.appendingPathComponent("flipped-\(threads)\(compression.fileExtension)")
                var wronglyAccepted: [Int] = []
                for position in 0..<bytes.count {
                    var copy = bytes
                    copy[position] ^= 0x01
                    try copy.write(to: flipped)
                    if (try? SetArchiveReader(url: flipped).read()) != nil, try decode(flipped, with: tool) != original {
                        wronglyAccepted.append(position)
                    }
                }
                XCTAssertEqual(wronglyAccepted, [], "\(tool), \(threads) thread(s): these of \(bytes.count) flipped bytes passed")
            }
        }
    }

    func testBytesAfterTheStreamAreRefused() throws {
        let set = try makeSet(sizes: [10, 300_000])
        for compression in ArchiveCompression.allCases {
            let (url, _) = try pack(set, compression, threads: 1)
            // A second copy of the archive, as if appended, then plain garbage.
            let bytes = try Data(contentsOf: url)
            for tail in [bytes, Data("junk".utf8)] {
                let longer = folder.appendingPathComponent("longer\(compression.fileExtension)")
                try (bytes + tail).write(to: longer)
                XCTAssertThrowsError(try SetArchiveReader(url: longer).read(), "\(compression) + \(tail.count) bytes") { error in
                    XCTAssertEqual((error as? CadangError)?.status, .damaged, "\(error)")
                }
            }
        }
    }

    /// What `tool -dc` decodes `url` to (nil when it refuses it).
    private func decode(_ url: URL, with tool: String) throws -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-q", "-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }

    func testOnlyPlainRelativePathsAreSafe() {
        for safe in ["a", "a/b.csv", "kasir/produk.csv", "x..y", ".hidden"] {
            XCTAssertTrue(SetArchiveReader.isSafe(safe), safe)
        }
        for unsafe in ["", "/etc/passwd", "../x", "a/../b", "a/./b", "./a", "a//b", "a/", "a\\b", "a\0b", ".."] {
            XCTAssertFalse(SetArchiveReader.isSafe(unsafe), unsafe)
        }
        XCTAssertNil(SetArchiveReader.split("no-slash"))
        XCTAssertNil(SetArchiveReader.split("id/../x"))
        XCTAssertEqual(SetArchiveReader.split("id/a/b.csv").map { [$0.0, $0.1] }, ["id", "a/b.csv"])
    }
}
