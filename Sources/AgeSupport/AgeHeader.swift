import Crypto

/// The age v1 header: its stanzas and the MAC over everything up to and including `---`.
struct AgeHeader: Sendable {
    static let intro: [UInt8] = Array("age-encryption.org/v1\n".utf8)
    static let footerPrefix: [UInt8] = Array("---".utf8)
    /// Headers are small (a few hundred bytes per recipient); the cap bounds buffering of garbage input.
    static let maxSize = 1 << 20

    var stanzas: [AgeStanza]
    var mac: [UInt8]
    /// Bytes of the header covered by the MAC (the intro through `---`).
    var macInput: [UInt8]

    /// Parses a complete header: `bytes` ends with the footer line's newline.
    static func parse(_ bytes: [UInt8]) throws(AgeError) -> AgeHeader {
        guard bytes.starts(with: intro) else { throw .headerFailure("not an age v1 file") }
        var lines = LineReader(bytes: bytes, position: intro.count)
        var stanzas = [AgeStanza]()
        while true {
            guard let line = lines.next() else { throw .headerFailure("header ends without a MAC line") }
            if line.starts(with: footerPrefix) {
                let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].elementsEqual(footerPrefix),
                      let mac = Base64Canonical.decode(parts[1]), mac.count == 32 else {
                    throw .headerFailure("malformed MAC line")
                }
                guard lines.position == bytes.count else { throw .headerFailure("data after the MAC line") }
                let macEnd = line.startIndex + footerPrefix.count
                return AgeHeader(stanzas: stanzas, mac: mac, macInput: Array(bytes[..<macEnd]))
            }
            stanzas.append(try parseStanza(opening: line, lines: &lines))
        }
    }

    private static func parseStanza(opening line: ArraySlice<UInt8>, lines: inout LineReader) throws(AgeError) -> AgeStanza {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].elementsEqual("->".utf8) else {
            throw .headerFailure("malformed stanza opening line")
        }
        for arg in parts.dropFirst() where !AgeStanza.isValidArgument(arg) {
            throw .headerFailure("malformed stanza argument")
        }
        let strings = parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }
        var body = [UInt8]()
        while true {
            guard let bodyLine = lines.next() else { throw .headerFailure("stanza body is missing") }
            guard let decoded = Base64Canonical.decode(bodyLine) else {
                throw .headerFailure("stanza body is not canonical base64 or lacks its final short line")
            }
            guard decoded.count <= AgeStanza.bytesPerLine else { throw .headerFailure("stanza body line too long") }
            body += decoded
            if decoded.count < AgeStanza.bytesPerLine { break }
        }
        return AgeStanza(type: strings[0], args: Array(strings.dropFirst()), body: body)
    }

    /// The encoded header through `---` (the MAC input), for the given stanzas.
    static func encodeWithoutMAC(_ stanzas: [AgeStanza]) -> [UInt8] {
        var out = intro
        for s in stanzas { out += s.encoded() }
        return out + footerPrefix
    }

    static func macKey(fileKey: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: fileKey), salt: [UInt8](),
                               info: Array("header".utf8), outputByteCount: 32)
    }

    static func computeMAC(fileKey: [UInt8], macInput: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: macInput, using: macKey(fileKey: fileKey)))
    }

    /// Constant-time check of the header MAC under `fileKey`.
    func verifyMAC(fileKey: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: macInput, using: Self.macKey(fileKey: fileKey))
    }

    /// Full header bytes ready to write: stanzas, `---`, space, MAC, newline.
    static func encode(_ stanzas: [AgeStanza], fileKey: [UInt8]) -> [UInt8] {
        let macInput = encodeWithoutMAC(stanzas)
        let mac = computeMAC(fileKey: fileKey, macInput: macInput)
        return macInput + Array(" \(Base64Canonical.encode(mac))\n".utf8)
    }
}

/// Splits header bytes into LF-terminated lines (without the LF); a line without LF is not returned.
struct LineReader {
    let bytes: [UInt8]
    var position: Int

    mutating func next() -> ArraySlice<UInt8>? {
        guard position < bytes.count,
              let nl = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = bytes[position..<nl]
        position = nl + 1
        return line
    }
}
