/// One recipient stanza of an age header: `-> type args…` followed by a base64 body.
struct AgeStanza: Sendable {
    var type: String
    var args: [String]
    var body: [UInt8]

    /// Body lines carry 48 bytes (64 base64 columns); the last line is always shorter, possibly empty.
    static let bytesPerLine = 48

    /// The stanza's canonical encoding, as it appears in the header (and is covered by the MAC).
    func encoded() -> [UInt8] {
        var out = Array("->".utf8)
        for part in [type] + args {
            out.append(UInt8(ascii: " "))
            out += Array(part.utf8)
        }
        out.append(UInt8(ascii: "\n"))
        var offset = 0
        while true {
            let end = min(offset + Self.bytesPerLine, body.count)
            out += Array(Base64Canonical.encode(body[offset..<end]).utf8)
            out.append(UInt8(ascii: "\n"))
            if end - offset < Self.bytesPerLine { break }
            offset = end
        }
        return out
    }

    /// Arguments must be non-empty runs of printable ASCII without spaces.
    static func isValidArgument<C: Collection>(_ arg: C) -> Bool where C.Element == UInt8 {
        !arg.isEmpty && arg.allSatisfy { $0 >= 33 && $0 <= 126 }
    }
}
