import CCrypto

/// Incremental message digest through OpenSSL's EVP interface (hardware-accelerated where the CPU
/// can). SHA-256 is what manifests and sidecars record; MD5 and SHA-1 exist because some storage
/// services report only those for their files, so a copy there can be checked by them.
public class Digest {
    /// The digests cadang computes.
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha256, sha1, md5
    }

    /// Which digest this is.
    public let algorithm: Algorithm
    private let context: OpaquePointer

    /// Starts a new digest.
    public init(_ algorithm: Algorithm) {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("OpenSSL could not allocate a digest context") }
        let type: OpaquePointer? = switch algorithm {
        case .sha256: EVP_sha256()
        case .sha1: EVP_sha1()
        case .md5: EVP_md5()
        }
        EVP_DigestInit_ex(context, type, nil)
        self.algorithm = algorithm
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds bytes.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Feeds bytes.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Ends the digest and returns it as lowercase hex; call once.
    public func finalizeHex() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return Hex.encode(digest.prefix(Int(length)))
    }
}

/// Incremental SHA-256.
public final class SHA256: Digest {
    /// Starts a new digest.
    public init() {
        super.init(.sha256)
    }

    /// The digest of a whole byte array, as hex.
    public static func hex(of bytes: [UInt8]) -> String {
        let hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }
}

/// Lowercase hexadecimal encoding.
public enum Hex {
    /// Encodes bytes as lowercase hex.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
