import CadangCore
import Foundation
import XCTest

/// Helpers for writing one artifact into a fresh set and committing it.
extension TemporaryFolderTestCase {
    /// Writes one artifact with `body`, commits the set and returns it with its manifest entry.
    func commitArtifact(path: String = "out.txt", rows: Int? = nil,
                        _ body: (ArtifactWriter) throws -> Void) throws -> (BackupSet, Artifact) {
        let repository = makeRepository()
        let staged = try repository.beginSet(job: "writer", time: Date())
        let writer = try staged.createArtifact(path: path, dataset: "data", format: "txt")
        try body(writer)
        try writer.checkError()
        try staged.close(writer, rows: rows)
        let set = try staged.commit(sources: [], warnings: [], tool: "cadang test")
        let artifact = try XCTUnwrap(set.manifest.artifacts.first { $0.path == path })
        return (set, artifact)
    }
}

final class ArtifactWriterTests: TemporaryFolderTestCase {
    func testWriteByteBytesAndString() throws {
        var expected: [UInt8] = []
        let (set, artifact) = try commitArtifact(rows: 3) { writer in
            XCTAssertEqual(writer.path, "out.txt")
            XCTAssertEqual(writer.dataset, "data")
            XCTAssertEqual(writer.format, "txt")
            writer.write(UInt8(ascii: "A"))
            expected.append(UInt8(ascii: "A"))
            let raw: [UInt8] = [0, 1, 2, 0xFF, 10]
            raw.withUnsafeBytes { writer.write($0) }
            expected += raw
            let typed: [UInt8] = Array("typed".utf8)
            typed.withUnsafeBufferPointer { writer.write($0) }
            expected += typed
            [UInt8]().withUnsafeBytes { writer.write($0) }
            writer.write("héllo 🛒\n")
            expected += Array("héllo 🛒\n".utf8)
            XCTAssertEqual(writer.bytesWritten, Int64(expected.count))
        }
        let url = set.url(of: artifact)
        XCTAssertEqual(try contents(url), expected)
        XCTAssertEqual(artifact.bytes, Int64(expected.count))
        XCTAssertEqual(artifact.rows, 3)
        XCTAssertEqual(artifact.dataset, "data")
        XCTAssertEqual(artifact.format, "txt")
        XCTAssertEqual(artifact.sha256, SHA256.hex(of: expected))
        XCTAssertEqual(artifact.sha256, try sha256sum(url))
    }

    func testEmptyArtifact() throws {
        let (set, artifact) = try commitArtifact { _ in }
        XCTAssertEqual(artifact.bytes, 0)
        XCTAssertNil(artifact.rows)
        XCTAssertEqual(artifact.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try contents(set.url(of: artifact)), [])
    }

    func testWriteDecimal() throws {
        var generator = SeededGenerator(seed: 42)
        var values: [Int64] = [0, -1, 1, 9, -9, 10, -10, 99, 100, 1_234_567_890, -1_234_567_890,
                               Int64.min, Int64.max, Int64.min + 1, Int64.max - 1,
                               9_999_999_999_999_999, 10_000_000_000_000_000, -10_000_000_000_000_000,
                               999_999_999_999_999_999, 1_000_000_000_000_000_000, -1_000_000_000_000_000_000]
        for _ in 0..<3_000 { values.append(Int64(bitPattern: generator.next())) }
        for _ in 0..<1_000 { values.append(Int64.random(in: -99_999...99_999, using: &generator)) }
        var expected = ""
        let (set, artifact) = try commitArtifact { writer in
            for value in values {
                writer.write(decimal: value)
                writer.write(UInt8(ascii: ","))
                expected += String(value) + ","
            }
        }
        let text = String(decoding: try contents(set.url(of: artifact)), as: UTF8.self)
        XCTAssertEqual(text, expected)
        XCTAssertTrue(text.hasPrefix("0,-1,1,9,-9,10,-10,99,100,1234567890,-1234567890,-9223372036854775808,9223372036854775807,"), String(text.prefix(120)))
        XCTAssertEqual(artifact.bytes, Int64(expected.utf8.count))
    }

    /// Many decimals cross the 256 KiB buffer boundary at every offset near its end.
    func testWriteDecimalAcrossBufferBoundaries() throws {
        var generator = SeededGenerator(seed: 4242)
        var expected: [UInt8] = []
        expected.reserveCapacity(1 << 21)
        let (set, artifact) = try commitArtifact { writer in
            while expected.count < 1_200_000 {
                let value = Bool.random(using: &generator)
                    ? Int64(bitPattern: generator.next())
                    : Int64.random(in: -999_999...999_999, using: &generator)
                writer.write(decimal: value)
                expected += Array(String(value).utf8)
                if Bool.random(using: &generator) {
                    writer.write(UInt8(ascii: " "))
                    expected.append(UInt8(ascii: " "))
                }
            }
            XCTAssertEqual(writer.bytesWritten, Int64(expected.count))
        }
        XCTAssertEqual(try contents(set.url(of: artifact)), expected)
        XCTAssertEqual(artifact.bytes, Int64(expected.count))
        XCTAssertEqual(artifact.sha256, SHA256.hex(of: expected))
    }

    func testWriteReal() throws {
        let values: [Double] = [-0.0, 0.0, 1e-300, 0.1, 44000.0, 1.5, -2.25, 1e300, 123456789.125,
                                .infinity, -.infinity, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude]
        var expected = ""
        let (set, artifact) = try commitArtifact { writer in
            for value in values {
                writer.write(real: value)
                writer.write(UInt8(ascii: ";"))
                expected += value.description + ";"
            }
            writer.write(real: .nan)
            expected += "nan"
        }
        let text = String(decoding: try contents(set.url(of: artifact)), as: UTF8.self)
        XCTAssertEqual(text, expected)
        XCTAssertTrue(text.hasPrefix("-0.0;0.0;1e-300;0.1;44000.0;"), text)
        // Every finite value reads back exactly.
        for (field, value) in zip(text.split(separator: ";"), values) where value.isFinite {
            XCTAssertEqual(Double(String(field))?.bitPattern, value.bitPattern, String(field))
        }
    }

    func testWriteBase64() throws {
        let inputs: [[UInt8]] = [[], [0], [0, 1], [0, 1, 2], Array("any carnal pleasure.".utf8), Array(0...255)]
        var expected = ""
        let (set, artifact) = try commitArtifact { writer in
            for input in inputs {
                input.withUnsafeBufferPointer { writer.writeBase64($0) }
                writer.write(UInt8(ascii: "\n"))
                expected += Data(input).base64EncodedString() + "\n"
            }
        }
        XCTAssertEqual(String(decoding: try contents(set.url(of: artifact)), as: UTF8.self), expected)
    }

    /// 3 MB in mixed chunk sizes, including single writes larger than the 256 KiB buffer and
    /// writes that exactly fill it.
    func testLargeOutputInMixedChunksIsByteIdentical() throws {
        var generator = SeededGenerator(seed: 77)
        let total = 3 * 1024 * 1024
        let data = (0..<total).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let bufferSize = 256 * 1024
        let chunkSizes = [1, 7, 4096, bufferSize - 1, bufferSize, bufferSize + 1, 3, 600_000, 65_537, 1, 2 * bufferSize + 5]
        let (set, artifact) = try commitArtifact(path: "big/blob.bin", rows: nil) { writer in
            var offset = 0
            var index = 0
            while offset < data.count {
                let size = min(chunkSizes[index % chunkSizes.count], data.count - offset)
                if size == 1 {
                    writer.write(data[offset])
                } else if index % 2 == 0 {
                    data[offset..<(offset + size)].withUnsafeBytes { writer.write($0) }
                } else {
                    data[offset..<(offset + size)].withUnsafeBufferPointer { writer.write($0) }
                }
                offset += size
                index += 1
                XCTAssertEqual(writer.bytesWritten, Int64(offset))
            }
        }
        let url = set.url(of: artifact)
        XCTAssertEqual(artifact.path, "big/blob.bin")
        XCTAssertEqual(artifact.bytes, Int64(total))
        let written = try contents(url)
        XCTAssertEqual(written.count, total)
        XCTAssertTrue(written == data, "file content differs from the bytes written")
        XCTAssertEqual(artifact.sha256, try sha256sum(url))
        XCTAssertEqual(artifact.sha256, SHA256.hex(of: data))
    }

    func testModesAreOwnerOnly() throws {
        let repository = makeRepository()
        let staged = try repository.beginSet(job: "modes", time: Date())
        let writer = try staged.createArtifact(path: "nested/dir/file.txt", dataset: "d", format: "txt")
        writer.write("secret")
        let stagedFile = staged.directory.appendingPathComponent("nested/dir/file.txt")
        XCTAssertEqual(permissions(stagedFile), 0o600)
        XCTAssertEqual(permissions(staged.directory), 0o700)
        XCTAssertEqual(permissions(staged.scratchDirectory), 0o700)
        XCTAssertEqual(permissions(staged.directory.appendingPathComponent("nested")), 0o700)
        XCTAssertEqual(permissions(staged.directory.appendingPathComponent("nested/dir")), 0o700)
        try staged.close(writer, rows: 1)
        let set = try staged.commit(sources: [], warnings: [], tool: "t")
        XCTAssertEqual(permissions(repository.url), 0o700)
        XCTAssertEqual(permissions(repository.url.appendingPathComponent("sets")), 0o700)
        XCTAssertEqual(permissions(repository.url.appendingPathComponent("tmp")), 0o700)
        XCTAssertEqual(permissions(set.directory), 0o700)
        XCTAssertEqual(permissions(set.directory.appendingPathComponent("nested/dir")), 0o700)
        XCTAssertEqual(permissions(set.directory.appendingPathComponent("nested/dir/file.txt")), 0o600)
        XCTAssertEqual(permissions(set.directory.appendingPathComponent(Manifest.fileName)), 0o600)
        XCTAssertEqual(try contents(set.directory.appendingPathComponent("nested/dir/file.txt")), Array("secret".utf8))
    }
}
