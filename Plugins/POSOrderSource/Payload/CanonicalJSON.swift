#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an item's canonical JSON, the text its content hash is taken of. **This form is a
/// contract**: stored hashes depend on it, so it must never change.
///
/// - The top-level object's capture keys — `backup_date`, `synced`, `sync_date`, `receipt_html` —
///   are left out (a till re-sending an order changes them, not the order). Deeper keys of those
///   names stay.
/// - Objects: members sorted by their keys' UTF-8 bytes after unescaping (shorter first when one is a
///   prefix of the other), written `{"k":v,"k":v}`. Two members with the same key make the item
///   ambiguous: it is rejected.
/// - Arrays: elements in their order, `[v,v]`.
/// - No whitespace anywhere.
/// - Strings: escaped minimally — `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, any other character
///   below U+0020 as `\u00xx` (lowercase hex); everything else as raw UTF-8, so `"\u00e9"`, `"é"`
///   and `"\/"`/`"/"` write the same. A `\u` escape of a lone surrogate (no UTF-8 form) stays
///   `\udxxx` in lowercase hex.
/// - Numbers: exactly their source text (`60.0` stays `60.0`, `1E2` stays `1E2`).
/// - `true`, `false`, `null` as they are.
///
/// For the usual payloads this equals Python's
/// `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` except for numbers,
/// which Python rewrites.
struct CanonicalJSONWriter {
    /// Holds the canonical text of the last item written in its first `length` bytes.
    private(set) var output: [UInt8] = []
    /// How many bytes of `output` are the canonical text.
    private(set) var length = 0
    /// Key nodes of the objects being written, each object's slice sorted in place.
    private var members: [Int32] = []

    private static let captureKeys: [StaticString] = ["backup_date", "synced", "sync_date", "receipt_html"]

    /// Writes the canonical form of the value at the tape's root (`nodes` from `JSONTapeParser`
    /// over `bytes`, `count` of them).
    mutating func write(_ nodes: UnsafeBufferPointer<JSONNode>, over bytes: UnsafePointer<UInt8>, count: Int) throws(PayloadRejection) {
        members.removeAll(keepingCapacity: true)
        length = 0
        guard !nodes.isEmpty else { return }
        // The canonical text is never longer than the item (it drops whitespace, and no escape
        // grows), so one buffer of the item's size takes it, written through a pointer.
        var buffer = output
        output = []
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: max(count, buffer.count * 2)) }
        let written = try buffer.withUnsafeMutableBufferPointer { storage throws(PayloadRejection) -> Int in
            var sink = CanonicalSink(storage)
            try writeValue(0, nodes, bytes, topLevel: true, &sink)
            guard !sink.overflowed else { throw PayloadRejection("the canonical form outgrew the item (a bug)") }
            return sink.count
        }
        output = buffer
        length = written
    }

    private mutating func writeValue(_ index: Int, _ nodes: UnsafeBufferPointer<JSONNode>, _ bytes: UnsafePointer<UInt8>, topLevel: Bool, _ output: inout CanonicalSink) throws(PayloadRejection) {
        let node = nodes[index]
        switch node.kind {
        case .object:
            try writeObject(index, nodes, bytes, topLevel: topLevel, &output)
        case .array:
            output.append(UInt8(ascii: "["))
            var child = index + 1
            let end = Int(node.next)
            while child < end {
                if child != index + 1 { output.append(UInt8(ascii: ",")) }
                try writeValue(child, nodes, bytes, topLevel: false, &output)
                child = Int(nodes[child].next)
            }
            output.append(UInt8(ascii: "]"))
        case .string:
            Self.writeString(node, bytes, &output)
        case .number, .trueLiteral, .falseLiteral, .null:
            output.append(contentsOf: UnsafeBufferPointer(start: bytes + Int(node.start), count: Int(node.end - node.start)))
        }
    }

    private mutating func writeObject(_ index: Int, _ nodes: UnsafeBufferPointer<JSONNode>, _ bytes: UnsafePointer<UInt8>, topLevel: Bool, _ output: inout CanonicalSink) throws(PayloadRejection) {
        let mark = members.count
        var child = index + 1
        let end = Int(nodes[index].next)
        while child < end {
            members.append(Int32(child))
            child = Int(nodes[child + 1].next)
        }
        defer { members.removeSubrange(mark...) }
        sortKeys(mark, nodes, bytes)
        for position in (mark + 1)..<max(members.count, mark + 1)
        where JSONKeyOrder.compare(nodes[Int(members[position - 1])], nodes[Int(members[position])], bytes) == 0 {
            let key = nodes[Int(members[position])]
            var text: [UInt8] = []
            JSONText.decode(bytes, from: Int(key.start), to: Int(key.end), into: &text)
            throw PayloadRejection("duplicate key \"\(String(decoding: text.prefix(64), as: UTF8.self))\" in one object (ambiguous)")
        }
        output.append(UInt8(ascii: "{"))
        var first = true
        for position in mark..<members.count {
            let key = Int(members[position])
            if topLevel, isCaptureKey(nodes[key], bytes) { continue }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            Self.writeString(nodes[key], bytes, &output)
            output.append(UInt8(ascii: ":"))
            try writeValue(key + 1, nodes, bytes, topLevel: false, &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Insertion sort: orders have a few dozen keys, and it needs no closure context.
    private mutating func sortKeys(_ mark: Int, _ nodes: UnsafeBufferPointer<JSONNode>, _ bytes: UnsafePointer<UInt8>) {
        members.withUnsafeMutableBufferPointer { keys in
            guard keys.count - mark > 1 else { return }
            for position in (mark + 1)..<keys.count {
                let key = keys[position]
                var slot = position
                while slot > mark, JSONKeyOrder.compare(nodes[Int(keys[slot - 1])], nodes[Int(key)], bytes) > 0 {
                    keys[slot] = keys[slot - 1]
                    slot -= 1
                }
                keys[slot] = key
            }
        }
    }

    private func isCaptureKey(_ key: JSONNode, _ bytes: UnsafePointer<UInt8>) -> Bool {
        CanonicalJSONWriter.captureKeys.contains { JSONKeyOrder.key(key, bytes, equals: $0) }
    }

    private static func writeString(_ node: JSONNode, _ bytes: UnsafePointer<UInt8>, _ output: inout CanonicalSink) {
        output.append(UInt8(ascii: "\""))
        if node.escaped {
            JSONText.forEachPiece(bytes, from: Int(node.start), to: Int(node.end)) { piece in
                switch piece {
                case .raw(let run): output.append(contentsOf: run)
                case .scalar(let scalar): appendEscaped(scalar, &output)
                case .loneSurrogate(let unit): appendUnicodeEscape(unit, &output)
                }
            }
        } else {
            // Unescaped text the parser accepted has no quote, backslash or control character.
            output.append(contentsOf: UnsafeBufferPointer(start: bytes + Int(node.start), count: Int(node.end - node.start)))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ scalar: UInt32, _ output: inout CanonicalSink) {
        switch scalar {
        case 0x22: appendShortEscape(&output, UInt8(ascii: "\""))
        case 0x5C: appendShortEscape(&output, UInt8(ascii: "\\"))
        case 0x08: appendShortEscape(&output, UInt8(ascii: "b"))
        case 0x0C: appendShortEscape(&output, UInt8(ascii: "f"))
        case 0x0A: appendShortEscape(&output, UInt8(ascii: "n"))
        case 0x0D: appendShortEscape(&output, UInt8(ascii: "r"))
        case 0x09: appendShortEscape(&output, UInt8(ascii: "t"))
        case 0..<0x20: appendUnicodeEscape(scalar, &output)
        default: output.appendUTF8(scalar)
        }
    }

    private static func appendShortEscape(_ output: inout CanonicalSink, _ letter: UInt8) {
        output.append(0x5C)
        output.append(letter)
    }

    private static func appendUnicodeEscape(_ unit: UInt32, _ output: inout CanonicalSink) {
        let digits: StaticString = "0123456789abcdef"
        output.append(0x5C)
        output.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(digits.utf8Start[Int(unit >> UInt32(shift) & 0xF)])
        }
    }
}

/// Appends to a buffer sized beforehand, through its pointer (no per-byte bounds or uniqueness
/// checks of an Array); past its end it only notes the overflow.
struct CanonicalSink {
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    init(_ storage: UnsafeMutableBufferPointer<UInt8>) {
        base = storage.baseAddress
        capacity = storage.count
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < capacity, let base else { overflowed = true; return }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf run: UnsafeBufferPointer<UInt8>) {
        guard let source = run.baseAddress, !run.isEmpty else { return }
        guard capacity - count >= run.count, let base else { overflowed = true; return }
        (base + count).update(from: source, count: run.count)
        count += run.count
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        var encoded: [UInt8] = []
        JSONText.appendUTF8(scalar, to: &encoded)
        for byte in encoded { append(byte) }
    }
}

/// The order of object keys in the canonical form: their UTF-8 bytes after unescaping.
enum JSONKeyOrder {
    /// Negative, zero or positive as `a`'s key sorts before, with, or after `b`'s.
    @inline(__always)
    static func compare(_ a: JSONNode, _ b: JSONNode, _ bytes: UnsafePointer<UInt8>) -> Int {
        if !a.escaped, !b.escaped {
            // Keys are short: a byte loop beats a call to memcmp.
            let lengthA = Int(a.end - a.start)
            let lengthB = Int(b.end - b.start)
            let textA = bytes + Int(a.start)
            let textB = bytes + Int(b.start)
            for offset in 0..<min(lengthA, lengthB) where textA[offset] != textB[offset] {
                return Int(textA[offset]) - Int(textB[offset])
            }
            return lengthA - lengthB
        }
        // Rare: a key with escapes is compared by its decoded text.
        return compareDecoded(a, b, bytes)
    }

    /// Whether a key node's text is `name`.
    @inline(__always)
    static func key(_ key: JSONNode, _ bytes: UnsafePointer<UInt8>, equals name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        if !key.escaped {
            guard Int(key.end - key.start) == length else { return false }
            let text = bytes + Int(key.start)
            let expected = name.utf8Start
            for offset in 0..<length where text[offset] != expected[offset] { return false }
            return true
        }
        var text: [UInt8] = []
        JSONText.decode(bytes, from: Int(key.start), to: Int(key.end), into: &text)
        return text.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: length))
    }

    private static func compareDecoded(_ a: JSONNode, _ b: JSONNode, _ bytes: UnsafePointer<UInt8>) -> Int {
        var textA: [UInt8] = []
        var textB: [UInt8] = []
        JSONText.decode(bytes, from: Int(a.start), to: Int(a.end), into: &textA)
        JSONText.decode(bytes, from: Int(b.start), to: Int(b.end), into: &textB)
        for (byteA, byteB) in zip(textA, textB) where byteA != byteB { return Int(byteA) - Int(byteB) }
        return textA.count - textB.count
    }
}
