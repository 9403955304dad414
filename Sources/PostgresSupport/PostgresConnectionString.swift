import CPostgres

/// libpq connection strings (`key=value` or `postgresql://` URIs) as shown in messages: with every
/// secret taken out, so no password reaches a log, a terminal or an error report.
public enum PostgresConnectionString {
    /// Keywords whose values are secrets: the login password and the client key's passphrase.
    static let secretKeywords: Set<String> = ["password", "sslpassword"]

    /// `conninfo` without `password=…`/`sslpassword=…` (quoted values too) or a URI's password.
    public static func redacted(_ conninfo: String) -> String {
        split(conninfo).shown
    }

    /// `message` with anything secret from `conninfo` taken out: libpq echoes parts of a malformed
    /// connection string (a whole URI, or the token it choked on) in its error messages.
    static func scrub(_ message: String, conninfo: String) -> String {
        let parts = split(conninfo)
        var text = message
        if !conninfo.isEmpty, parts.shown != conninfo { text = text.replacingAll(conninfo, with: parts.shown) }
        for secret in parts.secrets where !secret.isEmpty {
            // libpq quotes what it echoes; a short secret is replaced only there, so that a
            // one-letter password does not eat every such letter of the message.
            text = text.replacingAll("\"\(secret)\"", with: "\"***\"")
            if secret.count >= 4 { text = text.replacingAll(secret, with: "***") }
        }
        return text
    }

    /// Parses `conninfo` (either form) the way libpq does, into its non-empty settings.
    public static func parse(_ conninfo: String) throws -> [(keyword: String, value: String)] {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            let text = error.map { String(cString: $0) } ?? "out of memory"
            PQfreemem(error)
            throw PostgresError(sqlState: "08001", message: PostgresError.oneLine(scrub(text, conninfo: conninfo)),
                                action: "read the connection string \(redacted(conninfo))")
        }
        defer { PQconninfoFree(options) }
        var settings: [(keyword: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val, value.pointee != 0 {
                settings.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        return settings
    }

    /// A `key=value` connection string for `settings`, every value quoted.
    public static func format(_ settings: [(keyword: String, value: String)]) -> String {
        settings.map { setting in
            var value = ""
            for character in setting.value {
                if character == "'" || character == "\\" { value.append("\\") }
                value.append(character)
            }
            return "\(setting.keyword)='\(value)'"
        }.joined(separator: " ")
    }

    /// The shown form of a connection string and the secrets taken out of it.
    private static func split(_ conninfo: String) -> (shown: String, secrets: [String]) {
        let bytes = Array(conninfo.utf8)
        for scheme in ["postgresql://", "postgres://"] where bytes.starts(with: scheme.utf8) {
            return splitURI(bytes, schemeEnd: scheme.utf8.count)
        }
        return splitKeyValue(bytes)
    }

    /// `key = value` pairs, values bare or single-quoted, with backslash escapes in both (libpq's
    /// grammar). A token with no `=` after it is not valid there, and could be the rest of an
    /// unquoted password with a space in it, so it is treated as a secret too.
    private static func splitKeyValue(_ bytes: [UInt8]) -> (shown: String, secrets: [String]) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0d).contains(byte) }
        var shown: [UInt8] = []
        var secrets: [String] = []
        var index = 0
        while index < bytes.count {
            let start = index
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            let keywordStart = index
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "=") { index += 1 }
            let keyword = String(decoding: bytes[keywordStart..<index], as: UTF8.self)
            var probe = index
            while probe < bytes.count, isSpace(bytes[probe]) { probe += 1 }
            guard probe < bytes.count, bytes[probe] == UInt8(ascii: "=") else {
                if !keyword.isEmpty { secrets.append(keyword) }
                continue
            }
            index = probe + 1
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            var value: [UInt8] = []
            let quoted = index < bytes.count && bytes[index] == UInt8(ascii: "'")
            if quoted { index += 1 }
            while index < bytes.count {
                let byte = bytes[index]
                if quoted ? byte == UInt8(ascii: "'") : isSpace(byte) { break }
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count { index += 1 }
                value.append(bytes[index])
                index += 1
            }
            if quoted, index < bytes.count { index += 1 }
            if secretKeywords.contains(keyword) {
                secrets.append(String(decoding: value, as: UTF8.self))
            } else {
                shown.append(contentsOf: bytes[start..<index])
            }
        }
        let text = String(decoding: shown, as: UTF8.self)
        return (String(text.drop { $0 == " " }), secrets)
    }

    /// `scheme://[user[:password]@]hosts[/db][?key=value&…]`: the password in the user part and
    /// any secret query parameter go. The user part ends at the last `@` before the query, which
    /// hides more than libpq would read as a password when the URI is malformed, never less.
    private static func splitURI(_ bytes: [UInt8], schemeEnd: Int) -> (shown: String, secrets: [String]) {
        let queryStart = bytes[schemeEnd...].firstIndex(of: UInt8(ascii: "?")) ?? bytes.count
        var shown = Array(bytes[..<schemeEnd])
        var secrets: [String] = []
        var authority = bytes[schemeEnd..<queryStart]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")),
           let colon = authority[..<at].firstIndex(of: UInt8(ascii: ":")) {
            let secret = Array(authority[(colon + 1)..<at])
            secrets.append(String(decoding: secret, as: UTF8.self))
            secrets.append(percentDecoded(secret))
            shown.append(contentsOf: authority[..<colon])
            authority = authority[at...]
        }
        shown.append(contentsOf: authority)
        if queryStart < bytes.count {
            var kept: [ArraySlice<UInt8>] = []
            for parameter in bytes[(queryStart + 1)...].split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
                let keyword = parameter.split(separator: UInt8(ascii: "="), maxSplits: 1).first ?? []
                if secretKeywords.contains(percentDecoded(Array(keyword))) {
                    let value = parameter.dropFirst(keyword.count + 1)
                    secrets.append(String(decoding: value, as: UTF8.self))
                    secrets.append(percentDecoded(Array(value)))
                } else {
                    kept.append(parameter)
                }
            }
            if !kept.isEmpty {
                shown.append(UInt8(ascii: "?"))
                shown.append(contentsOf: kept.joined(separator: [UInt8(ascii: "&")]))
            }
        }
        return (String(decoding: shown, as: UTF8.self), secrets)
    }

    /// `%XX` escapes decoded (invalid ones left as they are).
    private static func percentDecoded(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexDigit(bytes[index + 1]), let low = hexDigit(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation's bridging.
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
