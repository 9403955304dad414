#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict JSON parser (RFC 8259) over an item's bytes that fills a reusable tape of `JSONNode`s.
/// It checks the whole grammar, that strings are valid UTF-8 without raw control characters, and
/// that nesting stays within `maxDepth` (deep input is rejected, never a stack overflow).
///
/// A parser keeps its tape between items to avoid allocating; use one per thread.
struct JSONTapeParser {
    /// Containers nested deeper than this are rejected.
    static let maxDepth = 512

    /// The tape of the last item parsed.
    private(set) var nodes: [JSONNode] = []

    /// Parses one item that must be a single JSON object (whitespace around it allowed).
    mutating func parse(_ item: UnsafeRawBufferPointer) throws(PayloadRejection) {
        nodes.removeAll(keepingCapacity: true)
        guard let base = item.baseAddress, item.count > 0 else { throw PayloadRejection("empty item") }
        guard item.count < Int(Int32.max) else { throw PayloadRejection("item is larger than 2 GiB") }
        var builder = TapeBuilder(bytes: base.assumingMemoryBound(to: UInt8.self), count: item.count)
        // The builder borrows the tape's storage, so it keeps its capacity from item to item.
        swap(&builder.nodes, &nodes)
        defer { swap(&builder.nodes, &nodes) }
        try builder.parseItem()
    }
}

/// The parser's state while it reads one item.
private struct TapeBuilder {
    var nodes: [JSONNode] = []
    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private var index = 0

    init(bytes: UnsafePointer<UInt8>, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    mutating func parseItem() throws(PayloadRejection) {
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard current == UInt8(ascii: "{") else {
            throw PayloadRejection(index < count ? "not an object: an order is a JSON object" : "empty item")
        }
        try parseValue(depth: 0)
        skipWhitespace()
        guard index == count else { throw malformed("text after the object") }
    }

    // MARK: - Values

    /// The byte at the cursor, or 0 past the end (0 is never valid there, so it fails the grammar).
    @inline(__always)
    private var current: UInt8 { index < count ? bytes[index] : 0 }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func malformed(_ what: String) -> PayloadRejection {
        if index >= count { return PayloadRejection("malformed JSON: the item ends too early (\(what))") }
        return PayloadRejection("malformed JSON at byte \(index) of the item (\(what))")
    }

    private mutating func parseValue(depth: Int) throws(PayloadRejection) {
        switch current {
        case UInt8(ascii: "{"): try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        case UInt8(ascii: "t"): try parseLiteral("true", .trueLiteral)
        case UInt8(ascii: "f"): try parseLiteral("false", .falseLiteral)
        case UInt8(ascii: "n"): try parseLiteral("null", .null)
        default: throw malformed("expected a value")
        }
    }

    @inline(__always)
    private mutating func openContainer(_ kind: JSONNode.Kind, depth: Int) throws(PayloadRejection) -> Int {
        guard depth <= JSONTapeParser.maxDepth else {
            throw PayloadRejection("nesting deeper than \(JSONTapeParser.maxDepth) levels at byte \(index) of the item")
        }
        let node = nodes.count
        nodes.append(JSONNode(kind: kind, escaped: false, start: Int32(index), end: 0, next: 0))
        index += 1
        skipWhitespace()
        return node
    }

    @inline(__always)
    private mutating func closeContainer(_ node: Int) {
        index += 1
        nodes[node].end = Int32(index)
        nodes[node].next = Int32(nodes.count)
    }

    private mutating func parseObject(depth: Int) throws(PayloadRejection) {
        let node = try openContainer(.object, depth: depth)
        if current == UInt8(ascii: "}") { return closeContainer(node) }
        while true {
            guard current == UInt8(ascii: "\"") else { throw malformed("expected a key") }
            try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw malformed("expected ':' after a key") }
            index += 1
            skipWhitespace()
            try parseValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                return closeContainer(node)
            default:
                throw malformed("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(PayloadRejection) {
        let node = try openContainer(.array, depth: depth)
        if current == UInt8(ascii: "]") { return closeContainer(node) }
        while true {
            try parseValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                return closeContainer(node)
            default:
                throw malformed("expected ',' or ']'")
            }
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ kind: JSONNode.Kind) throws(PayloadRejection) {
        let length = word.utf8CodeUnitCount
        guard count - index >= length, memcmp(bytes + index, word.utf8Start, length) == 0 else {
            throw malformed("expected a value")
        }
        nodes.append(JSONNode(kind: kind, escaped: false, start: Int32(index), end: Int32(index + length), next: Int32(nodes.count + 1)))
        index += length
    }

    // MARK: - Numbers

    @inline(__always)
    private mutating func skipDigits() -> Int {
        let from = index
        while index < count, bytes[index] &- 0x30 < 10 { index += 1 }
        return index - from
    }

    private mutating func parseNumber() throws(PayloadRejection) {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if skipDigits() == 0 {
            throw malformed("invalid number")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw malformed("invalid number") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw malformed("invalid number") }
        }
        nodes.append(JSONNode(kind: .number, escaped: false, start: Int32(start), end: Int32(index), next: Int32(nodes.count + 1)))
    }

    // MARK: - Strings

    private mutating func parseString() throws(PayloadRejection) {
        index += 1
        let start = index
        var escaped = false
        while true {
            // The common case: printable ASCII.
            while index < count {
                let byte = bytes[index]
                guard byte >= 0x20, byte < 0x80, byte != 0x22, byte != 0x5C else { break }
                index += 1
            }
            guard index < count else { throw malformed("the item ends inside a string") }
            let byte = bytes[index]
            if byte == 0x22 { break }
            if byte == 0x5C {
                escaped = true
                try skipEscape()
            } else if byte < 0x20 {
                throw malformed("a control character inside a string")
            } else {
                try skipUTF8Sequence()
            }
        }
        nodes.append(JSONNode(kind: .string, escaped: escaped, start: Int32(start), end: Int32(index), next: Int32(nodes.count + 1)))
        index += 1
    }

    private mutating func skipEscape() throws(PayloadRejection) {
        index += 1
        switch current {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 1
        case UInt8(ascii: "u"):
            guard count - index > 4, JSONText.hexValue(bytes + index + 1) != nil else { throw malformed("invalid \\u escape") }
            index += 5
        default:
            throw malformed("invalid escape")
        }
    }

    /// Checks one multi-byte UTF-8 sequence (no overlong forms, no surrogates, nothing past U+10FFFF).
    private mutating func skipUTF8Sequence() throws(PayloadRejection) {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw PayloadRejection("invalid UTF-8 at byte \(index) of the item")
        }
        guard count - index >= length else { throw PayloadRejection("invalid UTF-8 at byte \(index) of the item") }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { throw PayloadRejection("invalid UTF-8 at byte \(index) of the item") }
        for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
            throw PayloadRejection("invalid UTF-8 at byte \(index) of the item")
        }
        index += length
    }
}
