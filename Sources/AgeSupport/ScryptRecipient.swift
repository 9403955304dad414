import Crypto
import _CryptoExtras

/// The scrypt (passphrase) recipient type: `-> scrypt <salt> <log2 N>`; it must be the only stanza.
enum ScryptStanza {
    static let type = "scrypt"
    static let label = Array("age-encryption.org/v1/scrypt".utf8)

    static func wrap(fileKey: [UInt8], passphrase: String, workFactor: Int) throws -> AgeStanza {
        guard (1...30).contains(workFactor) else { throw AgeError.usage("scrypt work factor must be 1…30") }
        let salt = StanzaCrypto.randomBytes(16)
        let key = try deriveKey(passphrase: passphrase, salt: salt, logN: workFactor)
        return AgeStanza(type: type, args: [Base64Canonical.encode(salt), String(workFactor)],
                         body: try StanzaCrypto.seal(fileKey: fileKey, wrapKey: key))
    }

    /// Validates the scrypt stanza's arguments; returns (salt, logN).
    static func parameters(_ stanza: AgeStanza, maxWorkFactor: Int) throws(AgeError) -> ([UInt8], Int) {
        guard stanza.args.count == 2 else { throw .headerFailure("scrypt stanza needs exactly two arguments") }
        guard let salt = Base64Canonical.decode(stanza.args[0].utf8), salt.count == 16 else {
            throw .headerFailure("malformed scrypt salt")
        }
        // Decimal without sign or leading zeros, as age requires; the length cap avoids overflow.
        let digits = Array(stanza.args[1].utf8)
        guard let first = digits.first, first != UInt8(ascii: "0"), digits.count <= 4,
              digits.allSatisfy({ $0 >= 48 && $0 <= 57 }), let logN = Int(stanza.args[1]) else {
            throw .headerFailure("malformed scrypt work factor")
        }
        guard logN <= maxWorkFactor else { throw .workFactorTooHigh(logN, max: maxWorkFactor) }
        return (salt, logN)
    }

    /// Returns nil when the passphrase does not open the stanza.
    static func unwrap(_ stanza: AgeStanza, passphrase: String, maxWorkFactor: Int) throws(AgeError) -> [UInt8]? {
        let (salt, logN) = try parameters(stanza, maxWorkFactor: maxWorkFactor)
        let key: SymmetricKey
        do { key = try deriveKey(passphrase: passphrase, salt: salt, logN: logN) } catch {
            throw .headerFailure("scrypt key derivation failed")
        }
        switch try StanzaCrypto.open(body: stanza.body, wrapKey: key) {
        case .fileKey(let fileKey): return fileKey
        case .wrongKey: return nil
        }
    }

    private static func deriveKey(passphrase: String, salt: [UInt8], logN: Int) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: label + salt, outputByteCount: 32,
                                 rounds: 1 << logN, blockSize: 8, parallelism: 1)
    }
}
