/// Standard-alphabet base64 without padding, as age uses it; decoding is strict (canonical only).
enum Base64Canonical {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0xFF marks bytes outside the alphabet (including `=`, CR and LF).
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((input.count * 4 + 2) / 3)
        var i = 0
        while i + 3 <= input.count {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(alphabet[Int(v & 63)])
            i += 3
        }
        switch input.count - i {
        case 1:
            let v = UInt32(input[i]) << 16
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
        case 2:
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
        default: break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Returns nil for padding, characters outside the alphabet, impossible lengths or non-zero trailing bits.
    static func decode<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        let chars = Array(text)
        if chars.count % 4 == 1 { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count * 3 / 4)
        var i = 0
        func value(_ c: UInt8) -> UInt32? {
            let v = table[Int(c)]
            return v == 0xFF ? nil : UInt32(v)
        }
        while i + 4 <= chars.count {
            guard let a = value(chars[i]), let b = value(chars[i + 1]),
                  let c = value(chars[i + 2]), let d = value(chars[i + 3]) else { return nil }
            let v = a << 18 | b << 12 | c << 6 | d
            out.append(UInt8(v >> 16 & 0xFF)); out.append(UInt8(v >> 8 & 0xFF)); out.append(UInt8(v & 0xFF))
            i += 4
        }
        switch chars.count - i {
        case 2:
            guard let a = value(chars[i]), let b = value(chars[i + 1]), b & 0x0F == 0 else { return nil }
            out.append(UInt8((a << 2 | b >> 4) & 0xFF))
        case 3:
            guard let a = value(chars[i]), let b = value(chars[i + 1]), let c = value(chars[i + 2]),
                  c & 0x03 == 0 else { return nil }
            let v = a << 18 | b << 12 | c << 6
            out.append(UInt8(v >> 16 & 0xFF)); out.append(UInt8(v >> 8 & 0xFF))
        default: break
        }
        return out
    }
}
