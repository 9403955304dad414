import AgeSupport
import Crypto
import Foundation
import XCTest

/// Streaming must not buffer: a 200 MiB pipe through encryptor and decryptor keeps peak RSS flat.
final class MemoryTests: XCTestCase {
    func testTwoHundredMiBStreamKeepsMemoryFlat() throws {
        let identity = AgeIdentity.generate()
        let total = 200 << 20
        let block = TestSupport.randomBytes(1 << 20)
        let decryptor = AgeDecryptor(identities: [identity])
        var inputHash = SHA256(), outputHash = SHA256()
        var decrypted = 0
        let sink: (UnsafeRawBufferPointer) throws -> Void = { plain in
            outputHash.update(bufferPointer: plain)
            decrypted += plain.count
        }
        try TestSupport.resetPeakRSS()
        let before = try TestSupport.peakRSSBytes()
        let encryptor = try AgeEncryptor(recipients: [identity.recipient]) { sealed in
            try decryptor.write(sealed, plaintext: sink)
        }
        var written = 0
        // Odd write sizes so the chunk buffering paths are all used.
        let sizes = [1 << 20, 12_345, 65_536, 65_537, 1]
        var i = 0
        try block.withUnsafeBytes { raw in
            while written < total {
                let n = min(sizes[i % sizes.count], total - written, raw.count)
                let piece = UnsafeRawBufferPointer(rebasing: raw[0..<n])
                inputHash.update(bufferPointer: piece)
                try encryptor.write(piece)
                written += n
                i += 1
            }
        }
        try encryptor.finish()
        try decryptor.finish(plaintext: sink)
        let growth = try TestSupport.peakRSSBytes() - before
        print("memory: peak RSS grew by \(growth >> 10) KiB while streaming \(total >> 20) MiB")
        XCTAssertEqual(decrypted, total)
        XCTAssertEqual(Array(inputHash.finalize()), Array(outputHash.finalize()))
        XCTAssertLessThan(growth, 32 << 20)
    }
}
