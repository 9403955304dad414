/// Identity files: plain (`age-keygen` output) or passphrase-encrypted (`age -p` of such a file).
public enum AgeIdentityFile {
    /// age refuses larger identity files; so do we.
    static let sizeLimit = 1 << 24

    /// Parses a plain or passphrase-encrypted identity file; `passphrase` is asked only for the latter.
    public static func parse(_ bytes: [UInt8], passphrase: () throws -> String) throws -> [AgeIdentity] {
        guard bytes.count < sizeLimit else { throw AgeError.badIdentity("identity file is too large") }
        if bytes.starts(with: Array("-----BEGIN AGE".utf8)) {
            throw AgeError.unsupported("ASCII-armored identity files")
        }
        guard bytes.starts(with: Array("age-encryption.org/".utf8)) else { return try parsePlain(bytes) }
        var plaintext = [UInt8]()
        try withoutActuallyEscaping(passphrase) { ask in
            let decryptor = AgeDecryptor(identities: [], passphrase: ask)
            let collect: (UnsafeRawBufferPointer) throws -> Void = { chunk in
                guard plaintext.count + chunk.count < sizeLimit else {
                    throw AgeError.badIdentity("identity file is too large")
                }
                plaintext.append(contentsOf: chunk)
            }
            try bytes.withUnsafeBytes { try decryptor.write($0, plaintext: collect) }
            try decryptor.finish(plaintext: collect)
        }
        return try parsePlain(plaintext)
    }

    /// Lines of `AGE-SECRET-KEY-1…`, `#` comments and blank lines; errors give the line number only.
    static func parsePlain(_ bytes: [UInt8]) throws -> [AgeIdentity] {
        var identities = [AgeIdentity]()
        var lineNumber = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            do {
                identities.append(try AgeIdentity(String(decoding: line, as: UTF8.self)))
            } catch {
                throw AgeError.badIdentity("identity file line \(lineNumber) is not a valid secret key")
            }
        }
        guard !identities.isEmpty else { throw AgeError.badIdentity("no secret keys found in identity file") }
        return identities
    }

    /// The plain, `age-keygen`-style form: `# comment` lines, then one secret key per line.
    public static func format(_ identities: [AgeIdentity], comment lines: [String] = []) -> [UInt8] {
        var text = ""
        for line in lines {
            // Newlines in a comment would otherwise start a line that is parsed as a key.
            let flat = line.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            text += flat.hasPrefix("#") ? "\(flat)\n" : "# \(flat)\n"
        }
        for identity in identities { text += "\(identity)\n" }
        return Array(text.utf8)
    }

    /// The passphrase-protected form (scrypt recipient), which `age -d` and `age -d -i` accept.
    public static func seal(_ identities: [AgeIdentity], comment lines: [String] = [], passphrase: String,
                            workFactor: Int = 18) throws -> [UInt8] {
        guard !identities.isEmpty else { throw AgeError.usage("no identities to seal") }
        var out = [UInt8]()
        let encryptor = try AgeEncryptor(passphrase: passphrase, workFactor: workFactor) { out.append(contentsOf: $0) }
        try format(identities, comment: lines).withUnsafeBytes { try encryptor.write($0) }
        try encryptor.finish()
        return out
    }
}
