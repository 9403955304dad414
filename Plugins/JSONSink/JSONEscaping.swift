import CadangCore

/// JSON string escaping per RFC 8259, plus U+2028/U+2029 so the output is also valid JavaScript.
enum JSONEscaping {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `bytes` (valid UTF-8) as a quoted JSON string, copying unescaped runs in one go.
    static func writeString(_ bytes: UnsafeBufferPointer<UInt8>, to out: ArtifactWriter) {
        out.write(34)
        var start = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte >= 0x20 && byte != 34 && byte != 92 && byte != 0xE2 {
                i &+= 1
                continue
            }
            if byte == 0xE2 {
                // U+2028 is E2 80 A8, U+2029 is E2 80 A9.
                guard i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 else {
                    i &+= 1
                    continue
                }
                out.write(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                out.write(bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                i &+= 3
                start = i
                continue
            }
            out.write(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            writeEscape(byte, to: out)
            i &+= 1
            start = i
        }
        out.write(UnsafeBufferPointer(rebasing: bytes[start..<n]))
        out.write(34)
    }

    private static func writeEscape(_ byte: UInt8, to out: ArtifactWriter) {
        switch byte {
        case 34: out.write("\\\"")
        case 92: out.write("\\\\")
        case 10: out.write("\\n")
        case 13: out.write("\\r")
        case 9: out.write("\\t")
        case 8: out.write("\\b")
        case 12: out.write("\\f")
        default:
            out.write("\\u00")
            out.write(hex[Int(byte >> 4)])
            out.write(hex[Int(byte & 15)])
        }
    }

    /// Appends `bytes` as a quoted JSON string to an array (for keys, escaped once).
    static func appendString(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(34)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            if byte == 0xE2, i + 1 < bytes.count, bytes[i] == 0x80, bytes[i + 1] == 0xA8 || bytes[i + 1] == 0xA9 {
                output.append(contentsOf: Array((bytes[i + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8))
                i += 2
                continue
            }
            switch byte {
            case 34: output.append(contentsOf: Array("\\\"".utf8))
            case 92: output.append(contentsOf: Array("\\\\".utf8))
            case 0..<0x20: output.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: output.append(byte)
            }
        }
        output.append(34)
    }
}
