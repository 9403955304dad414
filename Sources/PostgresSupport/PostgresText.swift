/// PostgreSQL's text representations, written and read on raw bytes so that neither parameters
/// nor result accessors allocate beyond the value they produce.
enum PostgresText {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The most bytes `writeDecimal` writes (`-9223372036854775808`).
    static let maxDecimalBytes = 20

    /// `value` in decimal; no `String` in between, because COPY writes millions of them.
    static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: maxDecimalBytes, alignment: 1) { digits in
            let length = writeDecimal(value, into: digits.baseAddress!)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[..<length]))
        }
    }

    /// Writes `value` in decimal at `start` (room for `maxDecimalBytes`) and returns the length.
    static func writeDecimal(_ value: Int64, into start: UnsafeMutableRawPointer) -> Int {
        var length = 0
        if value < 0 {
            start.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self)
            length = 1
        }
        let first = length
        var magnitude = value.magnitude
        repeat {
            start.storeBytes(of: UInt8(ascii: "0") + UInt8(magnitude % 10), toByteOffset: length, as: UInt8.self)
            length += 1
            magnitude /= 10
        } while magnitude > 0
        var digits = UnsafeMutableRawBufferPointer(start: start + first, count: length - first)
        digits.reverse()
        return length
    }

    /// The shortest text that reads back to the same double; the server's spellings for the
    /// special values, which Swift spells differently (`inf`, `nan`).
    static func double(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }

    /// bytea hex input: `\x` and two lowercase digits a byte.
    static func appendHex(_ bytes: [UInt8], to buffer: inout [UInt8]) {
        bytes.withUnsafeBytes { appendHex($0, to: &buffer) }
    }

    /// bytea hex input of bytes in place.
    static func appendHex(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        buffer.reserveCapacity(buffer.count + 2 + bytes.count * 2)
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "x"))
        for byte in bytes {
            buffer.append(hexDigits[Int(byte >> 4)])
            buffer.append(hexDigits[Int(byte & 0x0f)])
        }
    }

    /// An integer in decimal, nil when `text` is not one or does not fit.
    static func int64(_ text: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        var negative = false
        if let first = text.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        guard index < text.count else { return nil }
        // Accumulated negatively, so that Int64.min, whose magnitude has no positive Int64, fits.
        var value: Int64 = 0
        while index < text.count {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// A boolean as the server writes it (`t`/`f`), or as text columns usually hold it.
    static func bool(_ text: UnsafeRawBufferPointer) -> Bool? {
        switch text.count {
        case 1 where text[0] == UInt8(ascii: "t"): return true
        case 1 where text[0] == UInt8(ascii: "f"): return false
        case 4 where text.elementsEqual("true".utf8): return true
        case 5 where text.elementsEqual("false".utf8): return false
        default: return nil
        }
    }

    /// bytea output in either format the server may use (`bytea_output` is a per-session setting):
    /// hex (`\x0a1b`) or the older escape format (`\\` and `\ooo` octal for what is not printable).
    static func bytea(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        if text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") {
            return hexBytea(UnsafeRawBufferPointer(rebasing: text[2...]))
        }
        return escapeBytea(text)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func hexBytea(_ digits: UnsafeRawBufferPointer) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: digits.count / 2) { output, count in
            for index in 0..<digits.count / 2 {
                guard let high = hexValue(digits[2 * index]), let low = hexValue(digits[2 * index + 1]) else {
                    valid = false
                    break
                }
                output[index] = high << 4 | low
                count = index + 1
            }
        }
        return valid ? bytes : nil
    }

    private static func escapeBytea(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let byte = text[index]
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                index += 1
                continue
            }
            if index + 1 < text.count, text[index + 1] == UInt8(ascii: "\\") {
                bytes.append(byte)
                index += 2
                continue
            }
            guard index + 3 < text.count else { return nil }
            var value: UInt16 = 0
            for offset in 1...3 {
                let digit = text[index + offset] &- UInt8(ascii: "0")
                guard digit < 8 else { return nil }
                value = value * 8 + UInt16(digit)
            }
            guard value <= 0xff else { return nil }
            bytes.append(UInt8(value))
            index += 4
        }
        return bytes
    }
}
