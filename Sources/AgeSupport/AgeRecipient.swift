import Crypto

/// An X25519 recipient, written `age1…` (Bech32, HRP "age").
public struct AgeRecipient: Sendable, Hashable, CustomStringConvertible {
    /// The 32-byte X25519 public key.
    let publicKey: [UInt8]

    /// Parses an `age1…` recipient string.
    public init(_ text: String) throws {
        let decoded: (hrp: String, data: [UInt8])
        do { decoded = try Bech32.decode(text) } catch {
            throw AgeError.badRecipient("not a valid Bech32 string")
        }
        guard decoded.hrp == "age" else { throw AgeError.badRecipient("not an age1… X25519 recipient") }
        guard decoded.data.count == 32 else { throw AgeError.badRecipient("wrong key length") }
        publicKey = decoded.data
    }

    init(publicKey: [UInt8]) { self.publicKey = publicKey }

    /// The canonical `age1…` string.
    public var description: String { Bech32.encode(hrp: "age", data: publicKey) }
}
