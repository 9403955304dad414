import Crypto

/// The X25519 recipient type: `-> X25519 <ephemeral share>` with the file key wrapped to the recipient.
enum X25519Stanza {
    static let type = "X25519"
    static let label = Array("age-encryption.org/v1/X25519".utf8)

    static func wrap(fileKey: [UInt8], to recipient: AgeRecipient) throws -> AgeStanza {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let share = Array(ephemeral.publicKey.rawRepresentation)
        let theirs = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient.publicKey)
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: theirs)
        guard !isAllZero(shared) else { throw AgeError.badRecipient("low-order X25519 public key") }
        let wrapKey = shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: share + recipient.publicKey,
                                                     sharedInfo: label, outputByteCount: 32)
        return AgeStanza(type: type, args: [Base64Canonical.encode(share)],
                         body: try StanzaCrypto.seal(fileKey: fileKey, wrapKey: wrapKey))
    }

    /// Returns nil when the stanza is not for `identity`; throws when it is malformed.
    static func unwrap(_ stanza: AgeStanza, with identity: AgeIdentity) throws(AgeError) -> [UInt8]? {
        guard stanza.type == type else { return nil }
        guard stanza.args.count == 1 else { throw .headerFailure("X25519 stanza needs exactly one argument") }
        guard let share = Base64Canonical.decode(stanza.args[0].utf8), share.count == 32 else {
            throw .headerFailure("malformed X25519 share")
        }
        let shared: SharedSecret
        do {
            let peer = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: share)
            shared = try identity.privateKey().sharedSecretFromKeyAgreement(with: peer)
        } catch {
            throw .headerFailure("invalid X25519 share")
        }
        // swift-crypto does not reject low-order points; age requires it (the shared secret would be public).
        guard !isAllZero(shared) else { throw .headerFailure("low-order X25519 share") }
        let ours = identity.publicKey
        let wrapKey = shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: share + ours,
                                                     sharedInfo: label, outputByteCount: 32)
        switch try StanzaCrypto.open(body: stanza.body, wrapKey: wrapKey) {
        case .fileKey(let key): return key
        case .wrongKey: return nil
        }
    }

    private static func isAllZero(_ secret: SharedSecret) -> Bool {
        secret.withUnsafeBytes { raw in raw.reduce(UInt8(0)) { $0 | $1 } == 0 }
    }
}
