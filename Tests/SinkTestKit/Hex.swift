/// Lowercase hex of bytes, for comparing exact bytes with what Python prints.
public func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
}

/// The UTF-8 text whose bytes `text` spells in hex.
public func unhex(_ text: String) -> String {
    let nibbles = text.utf8.map { $0 <= 57 ? $0 - 48 : $0 - 87 }
    return String(decoding: stride(from: 0, to: nibbles.count - 1, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }, as: UTF8.self)
}

/// The 16 hex digits of a double's bit pattern, as Python's `struct.pack('>d', x).hex()` prints them.
public func bits(_ value: Double) -> String {
    let digits = String(value.bitPattern, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
