/// UTF-8 checking for text cells: SQLite does not enforce UTF-8, and exports must be valid.
public enum UTF8Repair {
    /// Whether `bytes` is well-formed UTF-8 (ASCII runs are checked eight bytes at a time).
    @inlinable public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        guard let base = bytes.baseAddress else { return true }
        while i < n {
            if n - i >= 8 {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i &+= 8
                    continue
                }
            }
            let length = sequenceLength(base, at: i, count: n)
            if length == 0 { return false }
            i &+= length
        }
        return true
    }

    /// Copies `bytes` into `output` (emptied first), replacing each maximal invalid subsequence with
    /// U+FFFD as the Unicode standard recommends.
    public static func repair(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress else { return }
        var i = 0
        let n = bytes.count
        while i < n {
            let length = sequenceLength(base, at: i, count: n)
            if length > 0 {
                output.append(contentsOf: UnsafeBufferPointer(start: base + i, count: length))
                i += length
            } else {
                output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                i += max(1, validPrefixLength(base, at: i, count: n))
            }
        }
    }

    /// Length of the well-formed sequence starting at `i`, or 0 if it is ill-formed.
    @inlinable static func sequenceLength(_ p: UnsafePointer<UInt8>, at i: Int, count n: Int) -> Int {
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        func continuation(_ k: Int) -> UInt8? { i + k < n && p[i + k] & 0xC0 == 0x80 ? p[i + k] : nil }
        switch b0 {
        case 0xC2...0xDF:
            return continuation(1) != nil ? 2 : 0
        case 0xE0...0xEF:
            guard let b1 = continuation(1), continuation(2) != nil else { return 0 }
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }
            if b0 == 0xED && b1 > 0x9F { return 0 }
            return 3
        case 0xF0...0xF4:
            guard let b1 = continuation(1), continuation(2) != nil, continuation(3) != nil else { return 0 }
            if b0 == 0xF0 && b1 < 0x90 { return 0 }
            if b0 == 0xF4 && b1 > 0x8F { return 0 }
            return 4
        default:
            return 0
        }
    }

    /// How many bytes of an ill-formed sequence form a valid prefix (replaced by one U+FFFD together).
    static func validPrefixLength(_ p: UnsafePointer<UInt8>, at i: Int, count n: Int) -> Int {
        let b0 = p[i]
        let expected: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: expected = 2
        case 0xE0: expected = 3; low = 0xA0
        case 0xED: expected = 3; high = 0x9F
        case 0xE1...0xEF: expected = 3
        case 0xF0: expected = 4; low = 0x90
        case 0xF4: expected = 4; high = 0x8F
        case 0xF1...0xF3: expected = 4
        default: return 1
        }
        var k = 1
        while k < expected, i + k < n {
            let b = p[i + k]
            let lo = k == 1 ? low : 0x80, hi = k == 1 ? high : 0xBF
            guard b >= lo && b <= hi else { break }
            k += 1
        }
        return k
    }
}
