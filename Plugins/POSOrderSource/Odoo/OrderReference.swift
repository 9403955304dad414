/// The normalised reference of an order: the trailing `NNNNN-NNN-NNNN` (session - login - sequence)
/// of a `pos_reference` or `name`, so `"00042-003-0017"`, `"Order 00042-003-0017"` and a translated
/// `"Pesanan 00042-003-0017"` are one order.
public enum OrderReference {
    /// The trailing `NNNNN-NNN-NNNN` of `text` (after trailing spaces), or nil when it has none.
    public static func normalised(_ text: String) -> String? {
        let trimmed = Array(text.utf8.reversed().drop(while: { $0 == 0x20 }).reversed())
        let shape = [5, 3, 4]
        let length = 5 + 1 + 3 + 1 + 4
        guard trimmed.count >= length else { return nil }
        let tail = trimmed[(trimmed.count - length)...]
        var index = tail.startIndex
        for (part, digits) in shape.enumerated() {
            if part > 0 {
                guard tail[index] == UInt8(ascii: "-") else { return nil }
                index += 1
            }
            for _ in 0..<digits {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(tail[index]) else { return nil }
                index += 1
            }
        }
        // A longer run of digits before it ("100042-003-0017") is another reference, not this one.
        if trimmed.count > length, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(trimmed[trimmed.count - length - 1]) {
            return nil
        }
        return String(decoding: tail, as: UTF8.self)
    }
}
