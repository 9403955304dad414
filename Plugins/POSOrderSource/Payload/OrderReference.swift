/// Odoo's order reference: session, login and sequence numbers, zero-padded to 5, 3 and 4 digits
/// (`00042-003-0017`), behind a prefix that depends on the version and the language (`Order `,
/// `Pesanan `, none).
public enum OrderReference {
    /// The trailing `NNNNN-NNN-NNNN` of `text` (trailing blanks ignored), or nil. A group may be
    /// longer than its padding (a session past 99999 gets more digits), never shorter; the digits
    /// must not continue a longer number on the left.
    public static func normalised(_ text: String) -> String? {
        var utf8 = Array(text.utf8)
        while let last = utf8.last, last == 0x20 || last == 0x09 { utf8.removeLast() }
        var start = utf8.count
        for (group, minimum) in [4, 3, 5].enumerated() {
            var digits = 0
            while start > 0, utf8[start - 1] &- 0x30 < 10 {
                start -= 1
                digits += 1
            }
            guard digits >= minimum else { return nil }
            if group < 2 {
                guard start > 0, utf8[start - 1] == UInt8(ascii: "-") else { return nil }
                start -= 1
            }
        }
        return String(decoding: utf8[start...], as: UTF8.self)
    }
}
