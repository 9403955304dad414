/// Turns a text cell's UTF-8 into the NUL-terminated string libxlsxwriter takes, in one reusable
/// buffer, and measures it for the column width.
///
/// The library escapes XML and most control characters itself (as OOXML's `_xHHHH_`), but it reads
/// a C string, so a NUL would end the text early: NUL becomes `_x0000_`. Text that already looks
/// like an escape (`_x0041_`) would be decoded by Excel, so its underscore becomes `_x005F_`, the
/// escape for `_`. Text over Excel's 32,767 characters is cut there, and counted for a warning.
struct XLSXCellText {
    /// The prepared bytes, NUL-terminated; valid until the next `prepare`.
    private(set) var bytes: [UInt8] = []
    /// Characters in the last prepared text (for the column width).
    private(set) var characters = 0
    /// Cells cut at the limit so far.
    private(set) var cutCount = 0

    init() {
        bytes.reserveCapacity(4096)
    }

    /// Prepares `text` (valid UTF-8).
    mutating func prepare(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.removeAll(keepingCapacity: true)
        characters = 0
        let count = text.count
        var i = 0
        while i < count {
            let byte = text[i]
            if byte & 0xC0 != 0x80 {
                if characters == XLSXSheetLimits.cellCharacters {
                    cutCount += 1
                    break
                }
                characters += 1
            }
            if byte == 0 {
                bytes.append(contentsOf: Self.escapedNUL)
            } else if byte == UInt8(ascii: "_") && Self.startsAnEscape(text, at: i) {
                bytes.append(contentsOf: Self.escapedUnderscore)
            } else {
                bytes.append(byte)
            }
            i += 1
        }
        bytes.append(0)
    }

    /// Prepares text that is ASCII already (a number or base64 written as text).
    mutating func prepareASCII(_ fill: (inout [UInt8]) -> Void) {
        bytes.removeAll(keepingCapacity: true)
        fill(&bytes)
        characters = min(bytes.count, XLSXSheetLimits.cellCharacters)
        if bytes.count > XLSXSheetLimits.cellCharacters {
            bytes.removeLast(bytes.count - XLSXSheetLimits.cellCharacters)
            cutCount += 1
        }
        bytes.append(0)
    }

    /// Whether `text[at...]` reads `_xHHHH_`.
    private static func startsAnEscape(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + 7 <= text.count, text[start + 1] == UInt8(ascii: "x") || text[start + 1] == UInt8(ascii: "X"),
              text[start + 6] == UInt8(ascii: "_") else { return false }
        for offset in 2...5 {
            let byte = text[start + offset]
            let hex = (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
            if !hex { return false }
        }
        return true
    }

    private static let escapedNUL = Array("_x0000_".utf8)
    private static let escapedUnderscore = Array("_x005F_".utf8)
}
