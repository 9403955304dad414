/// Text forms of values shared by the text exports, written straight into an artifact's buffer.
extension ArtifactWriter {
    /// Writes a double in shortest round-trip form (`44000.0`, `1e-300`, `-0.0`); non-finite values
    /// as `inf`, `-inf`, `nan`.
    public func write(real value: Double) {
        // Whole values below 2^53 (every rupiah amount) are written as their integer and ".0",
        // byte for byte what `description` gives them, without its shortest-round-trip search:
        // about 400 instructions less per value.
        if value.magnitude < 9_007_199_254_740_992 {
            let whole = Int64(value)
            if Double(whole) == value && !(whole == 0 && value.sign == .minus) {
                write(decimal: whole)
                write(UInt8(ascii: "."))
                write(UInt8(ascii: "0"))
                return
            }
        }
        // Double.description is the shortest round-trip form and, for ≤15 bytes, a small string
        // stored inline: no allocation.
        write(value.description)
    }

    /// Writes bytes as standard base64 (for blobs in text exports).
    public func writeBase64(_ bytes: UnsafeBufferPointer<UInt8>) {
        Base64.encode(bytes) { write($0) }
    }
}

/// Standard base64 with padding, one output byte at a time, so callers write it wherever their
/// output is (an artifact's buffer, a library's cell text) without an intermediate string.
public enum Base64 {
    /// Calls `emit` with each byte of the base64 form of `bytes`.
    @inlinable public static func encode(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (UInt8) -> Void) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let table = alphabet.utf8Start
        var i = 0
        let n = bytes.count
        while i + 3 <= n {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            emit(table[Int(v >> 18)]); emit(table[Int(v >> 12 & 63)]); emit(table[Int(v >> 6 & 63)]); emit(table[Int(v & 63)])
            i += 3
        }
        let rest = n - i
        if rest == 1 {
            let v = UInt32(bytes[i]) << 16
            emit(table[Int(v >> 18)]); emit(table[Int(v >> 12 & 63)]); emit(UInt8(ascii: "=")); emit(UInt8(ascii: "="))
        } else if rest == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            emit(table[Int(v >> 18)]); emit(table[Int(v >> 12 & 63)]); emit(table[Int(v >> 6 & 63)]); emit(UInt8(ascii: "="))
        }
    }
}
