import Crypto

/// The file key is wrapped in a stanza body with ChaCha20-Poly1305 under a one-time key and a zero nonce.
enum StanzaCrypto {
    static let fileKeySize = 16

    static func seal(fileKey: [UInt8], wrapKey: SymmetricKey) throws -> [UInt8] {
        let box = try ChaChaPoly.seal(fileKey, using: wrapKey, nonce: try ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)))
        return Array(box.ciphertext) + Array(box.tag)
    }

    /// Result of trying to open a stanza body.
    enum Opened { case fileKey([UInt8]), wrongKey }

    /// A body of the wrong length is malformed (header failure); a failed tag just means "not for us".
    static func open(body: [UInt8], wrapKey: SymmetricKey) throws(AgeError) -> Opened {
        guard body.count == fileKeySize + 16 else { throw .headerFailure("stanza body has the wrong length") }
        do {
            let box = try ChaChaPoly.SealedBox(nonce: try ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)),
                                               ciphertext: body[..<fileKeySize], tag: body[fileKeySize...])
            return .fileKey(Array(try ChaChaPoly.open(box, using: wrapKey)))
        } catch {
            return .wrongKey
        }
    }

    /// Random bytes from the system CSPRNG (via swift-crypto's key generation).
    static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }
}
