/// Reading the text of a JSON string whose escapes the parser has already checked.
enum JSONText {
    /// The value of four hex digits at `digits`, or nil.
    static func hexValue(_ digits: UnsafePointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = digits[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// One unit of an escaped string's text.
    enum Piece {
        /// A run of bytes to take as they are.
        case raw(UnsafeBufferPointer<UInt8>)
        /// A character given by an escape.
        case scalar(UInt32)
        /// A `\u` escape naming half of a surrogate pair without its other half; UTF-8 cannot hold it.
        case loneSurrogate(UInt32)
    }

    /// Walks the text of the string between `start` and `end` (the parser checked its escapes).
    @inline(__always)
    static func forEachPiece(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, _ body: (Piece) -> Void) {
        var index = start
        var runStart = start
        while index < end {
            guard bytes[index] == 0x5C else {
                index += 1
                continue
            }
            if index > runStart { body(.raw(UnsafeBufferPointer(start: bytes + runStart, count: index - runStart))) }
            let letter = bytes[index + 1]
            index += 2
            switch letter {
            case UInt8(ascii: "b"): body(.scalar(0x08))
            case UInt8(ascii: "f"): body(.scalar(0x0C))
            case UInt8(ascii: "n"): body(.scalar(0x0A))
            case UInt8(ascii: "r"): body(.scalar(0x0D))
            case UInt8(ascii: "t"): body(.scalar(0x09))
            case UInt8(ascii: "u"):
                let unit = hexValue(bytes + index) ?? 0xFFFD
                index += 4
                if unit >= 0xD800, unit <= 0xDBFF, end - index >= 6, bytes[index] == 0x5C, bytes[index + 1] == UInt8(ascii: "u"),
                   let low = hexValue(bytes + index + 2), low >= 0xDC00, low <= 0xDFFF {
                    index += 6
                    body(.scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)))
                } else if unit >= 0xD800, unit <= 0xDFFF {
                    body(.loneSurrogate(unit))
                } else {
                    body(.scalar(unit))
                }
            default: body(.scalar(UInt32(letter)))
            }
            runStart = index
        }
        if end > runStart { body(.raw(UnsafeBufferPointer(start: bytes + runStart, count: end - runStart))) }
    }

    /// Appends the UTF-8 of a scalar.
    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The decoded UTF-8 text of an escaped string, a lone surrogate as U+FFFD.
    static func decode(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        forEachPiece(bytes, from: start, to: end) { piece in
            switch piece {
            case .raw(let run): output.append(contentsOf: run)
            case .scalar(let scalar): appendUTF8(scalar, to: &output)
            case .loneSurrogate: appendUTF8(0xFFFD, to: &output)
            }
        }
    }
}
