import CadangCore
import Foundation
import XCTest

final class SHA256Tests: TemporaryFolderTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(of: []), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: Array(repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let empty = SHA256()
        empty.update([])
        XCTAssertEqual(empty.finalizeHex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(Hex.encode([0x00, 0x0f, 0xa5, 0xff]), "000fa5ff")
    }

    func testIncrementalUpdatesInOddChunksEqualOneShot() {
        var generator = SeededGenerator(seed: 99)
        let data = (0..<200_003).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let oneShot = SHA256.hex(of: data)
        for sizes in [[1], [3, 7, 63, 64, 65], [55, 56, 57], [1_000, 4_097, 1], [131_071]] {
            let hasher = SHA256()
            var offset = 0
            var index = 0
            while offset < data.count {
                let size = min(sizes[index % sizes.count], data.count - offset)
                data[offset..<(offset + size)].withUnsafeBytes { hasher.update($0) }
                offset += size
                index += 1
            }
            XCTAssertEqual(hasher.finalizeHex(), oneShot, "chunk sizes \(sizes)")
        }
        // Mixing the two update entry points, with empty updates in between.
        let mixed = SHA256()
        mixed.update(Array(data[0..<10]))
        mixed.update([])
        data[10...].withUnsafeBytes { mixed.update($0) }
        XCTAssertEqual(mixed.finalizeHex(), oneShot)
    }

    func testFileDigestMatchesSha256sum() throws {
        var generator = SeededGenerator(seed: 3)
        for size in [0, 1, 55, 64, 1 << 20, (1 << 20) + 1, 2_500_001] {
            let url = root.appendingPathComponent("file-\(size).bin")
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: url)
            let (digest, count) = try FileSystem.sha256(of: url)
            XCTAssertEqual(count, Int64(size))
            XCTAssertEqual(digest, try sha256sum(url), "size \(size)")
            XCTAssertEqual(digest, SHA256.hex(of: bytes))
        }
        assertCadangError(.failure) { try FileSystem.sha256(of: self.root.appendingPathComponent("missing")) }
    }

    func testMD5AndSHA1OfAFileInOnePassMatchTheCoreutils() throws {
        XCTAssertEqual(Self.hex(.md5, "abc"), "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(Self.hex(.sha1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(Self.hex(.sha256, "abc"), SHA256.hex(of: Array("abc".utf8)))
        var generator = SeededGenerator(seed: 5)
        let url = root.appendingPathComponent("file.bin")
        try Data((0..<((1 << 20) * 2 + 17)).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: url)
        let (digests, bytes) = try FileSystem.digests(of: url, [.sha256, .sha1, .md5])
        XCTAssertEqual(bytes, (1 << 20) * 2 + 17)
        XCTAssertEqual(digests[.sha256], try sha256sum(url))
        for (algorithm, tool) in [(Digest.Algorithm.sha1, "sha1sum"), (.md5, "md5sum")] {
            let result = try runCommand(tool, [url.path])
            XCTAssertEqual(digests[algorithm], String(result.stdout.prefix(algorithm == .md5 ? 32 : 40)), tool)
        }
    }

    private static func hex(_ algorithm: Digest.Algorithm, _ text: String) -> String {
        let digest = Digest(algorithm)
        digest.update(Array(text.utf8))
        return digest.finalizeHex()
    }
}
