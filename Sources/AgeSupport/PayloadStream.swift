import Crypto
import Foundation

/// The STREAM construction: 64 KiB plaintext chunks sealed with ChaCha20-Poly1305 under
/// nonce = 11-byte big-endian chunk counter || last-chunk flag.
struct PayloadStream {
    static let chunkSize = 64 * 1024
    static let tagSize = 16
    static let sealedChunkSize = chunkSize + tagSize
    static let nonceSize = 16

    private let key: SymmetricKey
    private(set) var counter: UInt64 = 0

    init(fileKey: [UInt8], nonce: [UInt8]) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: fileKey), salt: nonce,
                                     info: Array("payload".utf8), outputByteCount: 32)
    }

    private func nonce(last: Bool) throws -> ChaChaPoly.Nonce {
        // A 64-bit counter bounds files at 2^80 bytes, far beyond the 11-byte field ever filling.
        var bytes = [UInt8](repeating: 0, count: 12)
        var c = counter
        for i in stride(from: 10, through: 3, by: -1) {
            bytes[i] = UInt8(c & 0xFF)
            c >>= 8
        }
        bytes[11] = last ? 1 : 0
        return try ChaChaPoly.Nonce(data: bytes)
    }

    /// Seals one chunk and hands ciphertext||tag to `output`.
    mutating func seal(_ chunk: UnsafeRawBufferPointer, last: Bool,
                       output: (UnsafeRawBufferPointer) throws -> Void) throws {
        let box = try ChaChaPoly.seal(chunk, using: key, nonce: try nonce(last: last))
        counter += 1
        // `combined` is nonce||ciphertext||tag in one buffer; skip the nonce instead of concatenating.
        try box.combined.withUnsafeBytes { raw in
            try output(UnsafeRawBufferPointer(rebasing: raw[12...]))
        }
    }

    /// Opens one sealed chunk; returns false (and hands out nothing) if it does not authenticate with `last`.
    mutating func open(_ sealed: UnsafeRawBufferPointer, last: Bool,
                       plaintext: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard sealed.count >= Self.tagSize else { return false }
        let split = sealed.count - Self.tagSize
        let opened: Data
        do {
            let box = try ChaChaPoly.SealedBox(nonce: try nonce(last: last),
                                               ciphertext: UnsafeRawBufferPointer(rebasing: sealed[..<split]),
                                               tag: UnsafeRawBufferPointer(rebasing: sealed[split...]))
            opened = try ChaChaPoly.open(box, using: key)
        } catch {
            return false
        }
        counter += 1
        try opened.withUnsafeBytes { try plaintext($0) }
        return true
    }
}
