/// Errors raised while parsing keys or encrypting and decrypting age files.
///
/// Descriptions are one line, meant for users, and never contain key material or passphrases.
public enum AgeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The header (intro, a stanza, base64, the MAC line, or the payload nonce) is malformed.
    case headerFailure(String)
    /// The header MAC did not verify: the header was modified.
    case hmacFailure
    /// None of the given identities opens the file.
    case noMatchingIdentity
    /// The file is passphrase-protected and the passphrase is wrong.
    case wrongPassphrase
    /// A payload chunk failed to authenticate (tampered or damaged data).
    case payloadFailure(String)
    /// The payload ends before its final chunk.
    case truncated
    /// Data follows the final payload chunk.
    case trailingData
    /// The scrypt work factor of the file exceeds the configured maximum.
    case workFactorTooHigh(Int, max: Int)
    /// A recipient string (`age1…`) could not be parsed.
    case badRecipient(String)
    /// An identity string or identity file could not be parsed.
    case badIdentity(String)
    /// A feature of the format that this module does not implement (e.g. ASCII armor).
    case unsupported(String)
    /// Reading or writing a file failed.
    case io(String)
    /// The API was used out of order (e.g. `write` after `finish`).
    case usage(String)

    public var description: String {
        switch self {
        case .headerFailure(let why): return "age: malformed header: \(why)"
        case .hmacFailure: return "age: header authentication failed (the header was modified)"
        case .noMatchingIdentity: return "age: no identity matched any of the file's recipients"
        case .wrongPassphrase: return "age: incorrect passphrase"
        case .payloadFailure(let why): return "age: payload authentication failed: \(why)"
        case .truncated: return "age: the encrypted file is truncated (no final chunk)"
        case .trailingData: return "age: unexpected data after the end of the encrypted file"
        case .workFactorTooHigh(let n, let max):
            return "age: scrypt work factor \(n) is above the allowed maximum \(max)"
        case .badRecipient(let why): return "age: invalid recipient: \(why)"
        case .badIdentity(let why): return "age: invalid identity: \(why)"
        case .unsupported(let what): return "age: unsupported: \(what)"
        case .io(let why): return "age: \(why)"
        case .usage(let why): return "age: \(why)"
        }
    }
}
