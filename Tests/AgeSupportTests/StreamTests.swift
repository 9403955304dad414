import AgeSupport
import Foundation
import XCTest

/// Round trips at chunk boundaries, odd write sizes, tampering, truncation and the file helpers.
final class StreamTests: XCTestCase {
    let chunk = 64 * 1024
    let sealedChunk = 64 * 1024 + 16

    func testRoundTripSizesAndPieces() throws {
        let a = AgeIdentity.generate(), b = AgeIdentity.generate()
        for size in [0, 1, 100, chunk - 1, chunk, chunk + 1, 2 * chunk, 3 * chunk + 7] {
            let plaintext = TestSupport.randomBytes(size)
            for piece in [1 << 20, 1000, chunk, chunk + 1] {
                let sealed = try TestSupport.encrypt(plaintext, to: [a.recipient, b.recipient], piece: piece)
                let chunks = max(1, (size + chunk - 1) / chunk)
                XCTAssertEqual(sealed.count, Self.headerLength(sealed) + 16 + size + 16 * chunks, "size \(size)")
                for id in [a, b] {
                    XCTAssertEqual(try TestSupport.decrypt(sealed, identities: [id], piece: piece + 3), plaintext,
                                   "size \(size) piece \(piece)")
                }
            }
        }
    }

    func testNoMatchAndHMAC() throws {
        let a = AgeIdentity.generate()
        var sealed = try TestSupport.encrypt([1, 2, 3], to: [a.recipient])
        XCTAssertThrowsError(try TestSupport.decrypt(sealed, identities: [AgeIdentity.generate()])) {
            XCTAssertEqual($0 as? AgeError, .noMatchingIdentity)
        }
        // Flip a bit of the MAC itself (last base64 char before the newline ends in padding bits, so use an inner one).
        let headerEnd = Self.headerLength(sealed)
        sealed[headerEnd - 5] = sealed[headerEnd - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertThrowsError(try TestSupport.decrypt(sealed, identities: [a])) {
            XCTAssertEqual($0 as? AgeError, .hmacFailure)
        }
    }

    func testTamperTruncateTrailing() throws {
        let a = AgeIdentity.generate()
        let plaintext = TestSupport.randomBytes(3 * chunk + 100)
        let sealed = try TestSupport.encrypt(plaintext, to: [a.recipient])
        let payloadStart = Self.headerLength(sealed) + 16
        for offset in [payloadStart, payloadStart + sealedChunk + 5, sealed.count - 1] {
            var bad = sealed
            bad[offset] ^= 1
            XCTAssertThrowsError(try TestSupport.decrypt(bad, identities: [a])) {
                XCTAssertEqual(TestSupport.vectorClass(of: $0), "payload failure")
            }
        }
        // Truncated at a chunk boundary: no final chunk.
        XCTAssertThrowsError(try TestSupport.decrypt(Array(sealed[..<(payloadStart + 2 * sealedChunk)]), identities: [a])) {
            XCTAssertEqual($0 as? AgeError, .truncated)
        }
        XCTAssertThrowsError(try TestSupport.decrypt(Array(sealed[..<(payloadStart + sealedChunk + 999)]), identities: [a])) {
            XCTAssertEqual(TestSupport.vectorClass(of: $0), "payload failure")
        }
        XCTAssertThrowsError(try TestSupport.decrypt(sealed + [0], identities: [a])) {
            XCTAssertEqual(TestSupport.vectorClass(of: $0), "payload failure")
        }
        // A full final chunk followed by data is reported as trailing data.
        let full = try TestSupport.encrypt(TestSupport.randomBytes(chunk), to: [a.recipient])
        XCTAssertThrowsError(try TestSupport.decrypt(full + [0], identities: [a])) {
            XCTAssertEqual($0 as? AgeError, .trailingData)
        }
        // Truncated inside the header and inside the nonce.
        XCTAssertThrowsError(try TestSupport.decrypt(Array(sealed[..<40]), identities: [a])) {
            XCTAssertEqual(TestSupport.vectorClass(of: $0), "header failure")
        }
        XCTAssertThrowsError(try TestSupport.decrypt(Array(sealed[..<(payloadStart - 3)]), identities: [a])) {
            XCTAssertEqual(TestSupport.vectorClass(of: $0), "header failure")
        }
    }

    func testPlaintextOnlyFromAuthenticatedChunks() throws {
        let a = AgeIdentity.generate()
        var sealed = try TestSupport.encrypt(TestSupport.randomBytes(3 * chunk), to: [a.recipient])
        sealed[Self.headerLength(sealed) + 16 + sealedChunk + 10] ^= 0x80  // second chunk
        let decryptor = AgeDecryptor(identities: [a])
        var received = 0
        XCTAssertThrowsError(try sealed.withUnsafeBytes { raw in
            try decryptor.write(raw, plaintext: { received += $0.count })
            try decryptor.finish(plaintext: { received += $0.count })
        })
        XCTAssertEqual(received, chunk, "only the first chunk authenticated")
        XCTAssertThrowsError(try decryptor.finish(plaintext: { _ in }), "stays failed")
    }

    func testFileHelpersAndHeaderCheck() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = AgeIdentity.generate()
        let plainURL = dir.appendingPathComponent("plain"), sealedURL = dir.appendingPathComponent("sealed.age")
        let outURL = dir.appendingPathComponent("out")
        let plaintext = TestSupport.randomBytes(5 * chunk + 3)
        try Data(plaintext).write(to: plainURL)
        try AgeEncryptor.encrypt(file: plainURL, to: sealedURL, recipients: [a.recipient])
        XCTAssertTrue(try AgeDecryptor.canOpenHeader(of: sealedURL, identities: [a]))
        XCTAssertFalse(try AgeDecryptor.canOpenHeader(of: sealedURL, identities: [AgeIdentity.generate()]))
        XCTAssertThrowsError(try AgeDecryptor.canOpenHeader(of: plainURL, identities: [a]))
        try AgeDecryptor.decrypt(file: sealedURL, to: outURL, identities: [a])
        XCTAssertEqual(Array(try Data(contentsOf: outURL)), plaintext)
        let mode = try FileManager.default.attributesOfItem(atPath: outURL.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertFalse(FileManager.default.fileExists(atPath: outURL.path + ".partial"))

        // Failures leave neither the output nor the partial file behind.
        var sealed = Array(try Data(contentsOf: sealedURL))
        sealed[sealed.count - 20] ^= 1
        let badURL = dir.appendingPathComponent("bad.age"), failedOut = dir.appendingPathComponent("failed")
        try Data(sealed).write(to: badURL)
        XCTAssertThrowsError(try AgeDecryptor.decrypt(file: badURL, to: failedOut, identities: [a]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: failedOut.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: failedOut.path + ".partial"))
        // An existing partial file (someone else's) is neither overwritten nor removed.
        try Data([1]).write(to: URL(fileURLWithPath: failedOut.path + ".partial"))
        XCTAssertThrowsError(try AgeDecryptor.decrypt(file: sealedURL, to: failedOut, identities: [a]))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: failedOut.path + ".partial")), Data([1]))
    }

    func testEncryptorRefusesToContinueAfterFailure() throws {
        var calls = 0
        let encryptor = try AgeEncryptor(recipients: [AgeIdentity.generate().recipient]) { _ in
            calls += 1
            if calls == 2 { throw TestFailure("disk full") }
        }
        let data = TestSupport.randomBytes(3 * chunk)
        XCTAssertThrowsError(try data.withUnsafeBytes { try encryptor.write($0) }) { XCTAssertTrue($0 is TestFailure) }
        XCTAssertThrowsError(try data.withUnsafeBytes { try encryptor.write($0) }) {
            guard case AgeError.usage = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try encryptor.finish())
        let done = try AgeEncryptor(recipients: [AgeIdentity.generate().recipient]) { _ in }
        try done.finish()
        XCTAssertThrowsError(try data.withUnsafeBytes { try done.write($0) })
    }

    /// Length of the header through the MAC line's newline.
    static func headerLength(_ file: [UInt8]) -> Int {
        let marker = Array("\n--- ".utf8)
        for i in 0..<(file.count - marker.count) where file[i..<(i + marker.count)].elementsEqual(marker) {
            if let nl = file[(i + 1)...].firstIndex(of: 10) { return nl + 1 }
        }
        return 0
    }
}
