/// BIP 173 Bech32 (not Bech32m) without the 90-character limit, as age uses it for keys.
enum Bech32 {
    private static let charset: [UInt8] = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let reverse: [Int8] = {
        var t = [Int8](repeating: -1, count: 128)
        for (i, c) in charset.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    enum Failure: Error { case mixedCase, badSeparator, badCharacter, badChecksum, badPadding }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let gen: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= gen[i] }
        }
        return chk
    }

    private static func hrpExpand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    private static func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c + 32 : c }
    private static func upper(_ c: UInt8) -> UInt8 { (c >= 97 && c <= 122) ? c - 32 : c }

    private static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) throws(Failure) -> [UInt8] {
        var acc = 0, bits = 0
        var out = [UInt8]()
        let maxv = (1 << to) - 1
        for v in data {
            acc = (acc << from | Int(v)) & 0xFFFF
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8(acc >> bits & maxv))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8(acc << (to - bits) & maxv)) }
        } else if bits >= from || (acc << (to - bits)) & maxv != 0 {
            throw .badPadding
        }
        return out
    }

    /// Encodes `data` under `hrp`; the result is upper-case when `hrp` is.
    static func encode(hrp: String, data: [UInt8]) -> String {
        let hrpBytes = Array(hrp.utf8)
        let lowHRP = hrpBytes.map(lower)
        // Cannot fail: padding is allowed when encoding.
        let values = (try? convertBits(data, from: 8, to: 5, pad: true)) ?? []
        let mod = polymod(hrpExpand(lowHRP) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        var out = lowHRP + [UInt8(ascii: "1")]
        for v in values { out.append(charset[Int(v)]) }
        for i in 0..<6 { out.append(charset[Int(mod >> UInt32(5 * (5 - i)) & 31)]) }
        let isUpper = hrpBytes.contains { $0 >= 65 && $0 <= 90 }
        return String(decoding: isUpper ? out.map(upper) : out, as: UTF8.self)
    }

    /// Decodes a Bech32 string; the HRP is returned in the case it was written in.
    static func decode(_ text: String) throws(Failure) -> (hrp: String, data: [UInt8]) {
        let bytes = Array(text.utf8)
        let hasLower = bytes.contains { $0 >= 97 && $0 <= 122 }
        let hasUpper = bytes.contains { $0 >= 65 && $0 <= 90 }
        if hasLower && hasUpper { throw .mixedCase }
        guard let pos = bytes.lastIndex(of: UInt8(ascii: "1")), pos >= 1, pos + 7 <= bytes.count else {
            throw .badSeparator
        }
        let hrp = Array(bytes[..<pos])
        for c in hrp where c < 33 || c > 126 { throw .badCharacter }
        var values = [UInt8]()
        values.reserveCapacity(bytes.count - pos - 1)
        for c in bytes[(pos + 1)...] {
            let l = lower(c)
            guard l < 128, reverse[Int(l)] >= 0 else { throw .badCharacter }
            values.append(UInt8(reverse[Int(l)]))
        }
        guard polymod(hrpExpand(hrp.map(lower)) + values) == 1 else { throw .badChecksum }
        let data = try convertBits(Array(values.dropLast(6)), from: 5, to: 8, pad: false)
        return (String(decoding: hrp, as: UTF8.self), data)
    }
}
