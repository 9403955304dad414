/// Numbers from their JSON text (already checked by the parser), without making Strings for the
/// common cases.
enum JSONNumberText {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value of a JSON number's text, correctly rounded.
    static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var simple = true
        var seenPoint = false
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(byte &- 0x30)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else {
                simple = false
                break
            }
            index += 1
        }
        // Exact when both parts are exact doubles: one division then rounds correctly.
        if simple, digits <= 15, fractionDigits <= 22, digits > 0 {
            let value = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -value : value
        }
        return Double(String(decoding: text, as: UTF8.self))
    }

    /// The value of an integer's text; `12.0` counts as 12, `12.5` as nothing.
    static func int64(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var value: Int64 = 0
        var digits = 0
        while index < text.count, text[index] &- 0x30 < 10 {
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int64(text[index] &- 0x30))
            guard !overflowA, !overflowB else { return nil }
            value = sum
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        if index < text.count {
            guard text[index] == UInt8(ascii: ".") else {
                guard let double = double(text), double.rounded() == double, abs(double) < 9.0e18 else { return nil }
                return Int64(double)
            }
            index += 1
            while index < text.count, text[index] == UInt8(ascii: "0") { index += 1 }
            guard index == text.count else { return nil }
        }
        return negative ? -value : value
    }
}
