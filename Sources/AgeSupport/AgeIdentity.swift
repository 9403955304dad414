import Crypto

/// An X25519 identity (secret key), written `AGE-SECRET-KEY-1…` (upper-case Bech32).
public struct AgeIdentity: Sendable, CustomStringConvertible {
    // Raw bytes rather than swift-crypto's key type, which is not Sendable.
    let secretKey: [UInt8]
    let publicKey: [UInt8]

    /// Parses an `AGE-SECRET-KEY-1…` string; errors never repeat the input.
    public init(_ text: String) throws {
        let decoded: (hrp: String, data: [UInt8])
        do { decoded = try Bech32.decode(text) } catch {
            throw AgeError.badIdentity("not a valid Bech32 string")
        }
        guard decoded.hrp == "AGE-SECRET-KEY-" else {
            throw AgeError.badIdentity("not an AGE-SECRET-KEY-1… identity")
        }
        guard decoded.data.count == 32,
              let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: decoded.data) else {
            throw AgeError.badIdentity("wrong key length")
        }
        self.init(privateKey: key)
    }

    private init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        secretKey = Array(privateKey.rawRepresentation)
        publicKey = Array(privateKey.publicKey.rawRepresentation)
    }

    func privateKey() throws -> Curve25519.KeyAgreement.PrivateKey {
        try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: secretKey)
    }

    /// A new random identity.
    public static func generate() -> AgeIdentity {
        AgeIdentity(privateKey: Curve25519.KeyAgreement.PrivateKey())
    }

    /// The recipient that encrypts to this identity.
    public var recipient: AgeRecipient {
        AgeRecipient(publicKey: publicKey)
    }

    /// The secret `AGE-SECRET-KEY-1…` string (handle with care).
    public var description: String {
        Bech32.encode(hrp: "AGE-SECRET-KEY-", data: secretKey)
    }
}
