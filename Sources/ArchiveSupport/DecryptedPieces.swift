import AgeSupport
import CadangCore
import Foundation

/// An age file's plaintext as pieces pulled one at a time (what `StreamProof` reads), decrypted
/// from the ciphertext pieces `read` yields. A piece is valid until the next call.
final class DecryptedPieces {
    private let decryptor: AgeDecryptor
    private let url: URL
    private let read: () throws -> UnsafeRawBufferPointer?
    private let plaintext: UnsafeMutableRawBufferPointer
    private var count = 0
    private var ended = false

    /// `capacity` bounds a ciphertext piece; the plaintext buffer also has room for the chunk
    /// (64 KiB) the decryptor kept back from the piece before.
    init(key: ArchiveKey, url: URL, capacity: Int, read: @escaping () throws -> UnsafeRawBufferPointer?) {
        decryptor = AgeDecryptor(identities: key.identities)
        self.url = url
        self.read = read
        plaintext = .allocate(byteCount: capacity + (128 << 10), alignment: 64)
    }

    func deallocate() { plaintext.deallocate() }

    /// The next plaintext piece, or nil after the final chunk authenticated.
    func next() throws -> UnsafeRawBufferPointer? {
        count = 0
        do {
            while count == 0 && !ended {
                if let piece = try read() {
                    try decryptor.write(piece, plaintext: append)
                } else {
                    try decryptor.finish(plaintext: append)
                    ended = true
                }
            }
        } catch let error as AgeError {
            throw ArchiveKey.damaged(url, error)
        }
        return count == 0 ? nil : UnsafeRawBufferPointer(rebasing: plaintext[..<count])
    }

    private func append(_ chunk: UnsafeRawBufferPointer) throws {
        guard count + chunk.count <= plaintext.count, let base = plaintext.baseAddress, let source = chunk.baseAddress else {
            if chunk.isEmpty { return }
            throw CadangError(.failure, "decrypting \(url.path): a chunk larger than expected")
        }
        (base + count).copyMemory(from: source, byteCount: chunk.count)
        count += chunk.count
    }
}
