/// A fixed window (1 MiB by default) sliding over a `PayloadByteSource`, with the few scans the
/// splitter needs to find item boundaries without parsing items, and a capture that copies one
/// item's bytes out as the window slides — or stops copying once the item outgrows its limit, so an
/// oversized item is skipped without being held.
final class PayloadWindow {
    /// How a scan over a value ended.
    enum Outcome: Equatable {
        /// The value (or the whitespace) ended where expected.
        case done
        /// The input ended first.
        case endOfInput
        /// A line feed came inside the value while reading JSON Lines; the window is on it.
        case lineBreak
    }

    static let defaultCapacity = 1 << 20

    let source: any PayloadByteSource
    private let bytes: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Absolute offset of `bytes[0]`.
    private var base = 0
    private var count = 0
    private var position = 0
    private var reachedEnd = false

    private var capturing = false
    private var captureFrom = 0
    private var captureStart = 0
    private var captureLimit = 0
    private var captured: [UInt8] = []
    private var captureOverflowed = false

    static let keptCapacity = 256
    private let keptBytes: UnsafeMutablePointer<UInt8>
    private var keptCount = 0

    /// Set whenever a scan passes a line feed; the splitter clears it.
    var sawLineFeed = false

    /// A window over `source` that starts reading at `offset`.
    init(source: any PayloadByteSource, offset: Int = 0, capacity: Int = PayloadWindow.defaultCapacity) {
        self.source = source
        self.capacity = max(capacity, 16)
        self.bytes = .allocate(capacity: self.capacity)
        self.keptBytes = .allocate(capacity: PayloadWindow.keptCapacity)
        self.base = offset
    }

    deinit {
        bytes.deallocate()
        keptBytes.deallocate()
    }

    /// The absolute offset of the next byte.
    var offset: Int { base + position }

    /// Moves to `offset` (forgetting what the window holds).
    func seek(to offset: Int) {
        cancelCapture()
        base = offset
        count = 0
        position = 0
        reachedEnd = false
    }

    /// Makes sure a byte is available; false at the end of the input.
    @inline(__always)
    private func fill() throws(PayloadReadError) -> Bool {
        if position < count { return true }
        return try refill()
    }

    private func refill() throws(PayloadReadError) -> Bool {
        if reachedEnd { return false }
        flushCapture()
        base += count
        position = 0
        count = 0
        let read = try source.read(at: base, into: UnsafeMutableRawBufferPointer(start: bytes, count: capacity))
        captureFrom = 0
        if read == 0 {
            reachedEnd = true
            return false
        }
        count = read
        return true
    }

    /// The next byte without consuming it; nil at the end.
    @inline(__always)
    func peek() throws(PayloadReadError) -> UInt8? {
        guard try fill() else { return nil }
        return bytes[position]
    }

    /// Consumes one byte (after a `peek` that returned one).
    @inline(__always)
    func advance() { position += 1 }

    /// Skips a UTF-8 byte order mark at the current position, if there is one.
    func skipByteOrderMark() throws(PayloadReadError) {
        guard try fill(), count - position >= 3 else { return }
        if bytes[position] == 0xEF, bytes[position + 1] == 0xBB, bytes[position + 2] == 0xBF {
            position += 3
        }
    }

    // MARK: - Capture

    /// Starts copying bytes from the current position; stops copying (but keeps counting) beyond `limit`.
    func beginCapture(limit: Int) {
        capturing = true
        captureFrom = position
        captureStart = offset
        captureLimit = limit
        captured.removeAll(keepingCapacity: true)
        captureOverflowed = false
    }

    /// Ends the capture at the current position: the bytes, or nil when they outgrew the limit;
    /// `size` is the item's length either way.
    func endCapture() -> (bytes: [UInt8]?, size: Int) {
        let size = offset - captureStart
        defer { cancelCapture() }
        if captureOverflowed || size > captureLimit { return (nil, size) }
        let tail = UnsafeBufferPointer(start: bytes + captureFrom, count: position - captureFrom)
        if captured.isEmpty { return (Array(tail), size) }
        captured.append(contentsOf: tail)
        let result = captured
        captured = []
        return (result, size)
    }

    /// Stops capturing and drops what was copied.
    func cancelCapture() {
        capturing = false
        captureOverflowed = false
        if captured.capacity > 4 * PayloadWindow.defaultCapacity { captured = [] } else { captured.removeAll(keepingCapacity: true) }
    }

    /// Before the window slides, keeps the part of the item it holds (while under the limit).
    private func flushCapture() {
        guard capturing, !captureOverflowed else { return }
        let pending = count - captureFrom
        if captured.count + pending > captureLimit {
            captureOverflowed = true
            captured = []
            return
        }
        captured.append(contentsOf: UnsafeBufferPointer(start: bytes + captureFrom, count: pending))
    }

    // MARK: - Scans

    /// Skips JSON whitespace. In line mode a line feed stops the skip with `.lineBreak` (the window
    /// stays on it); otherwise it is whitespace like any other.
    func skipWhitespace(lineMode: Bool) throws(PayloadReadError) -> Outcome {
        // Locals in the loops: the class's stored properties would each be checked for exclusive access.
        while try fill() {
            var index = position
            let end = count
            while index < end {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A:
                    if lineMode { position = index; return .lineBreak }
                    sawLineFeed = true
                    index += 1
                default:
                    position = index
                    return .done
                }
            }
            position = index
        }
        return .endOfInput
    }

    /// Skips an object or an array (the window is on its `{` or `[`) by counting brackets outside
    /// strings; the decoder checks the grammar later, this only finds where the value ends.
    func skipContainer(lineMode: Bool) throws(PayloadReadError) -> Outcome {
        var depth = 0
        var inString = false
        var escaped = false
        while try fill() {
            var index = position
            let end = count
            while index < end {
                let byte = bytes[index]
                index += 1
                if inString {
                    if escaped {
                        escaped = false
                        if byte == 0x0A, lineMode { position = index - 1; return .lineBreak }
                    } else if byte == 0x22 {
                        inString = false
                    } else if byte == 0x5C {
                        escaped = true
                    } else if byte == 0x0A {
                        if lineMode { position = index - 1; return .lineBreak }
                        sawLineFeed = true
                    }
                    continue
                }
                switch byte {
                case 0x22: inString = true
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth <= 0 { position = index; return .done }
                case 0x0A:
                    if lineMode { position = index - 1; return .lineBreak }
                    sawLineFeed = true
                default: break
                }
            }
            position = index
        }
        return .endOfInput
    }

    /// Skips a string (the window is on its opening quote). Its first `keep` raw bytes (escapes
    /// as written) are then in `kept`, for the few keys and values the splitter itself reads.
    func skipString(lineMode: Bool, keep maxKept: Int = 0) throws(PayloadReadError) -> Outcome {
        position += 1
        keptCount = 0
        var escaped = false
        while try fill() {
            var index = position
            let end = count
            var outcome: Outcome?
            while index < end {
                let byte = bytes[index]
                if byte == 0x0A {
                    if lineMode { outcome = .lineBreak; break }
                    sawLineFeed = true
                }
                if escaped {
                    escaped = false
                } else if byte == 0x22 {
                    outcome = .done
                    break
                } else if byte == 0x5C {
                    escaped = true
                }
                index += 1
            }
            if maxKept > 0 { keep(from: position, to: index, limit: maxKept) }
            if outcome == .done {
                position = index + 1
                return .done
            }
            position = index
            if let outcome { return outcome }
        }
        return .endOfInput
    }

    /// The first bytes of the last string skipped with `keep`.
    var kept: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: keptBytes, count: keptCount) }

    private func keep(from start: Int, to end: Int, limit: Int) {
        let room = min(limit, PayloadWindow.keptCapacity) - keptCount
        let length = min(room, end - start)
        guard length > 0 else { return }
        (keptBytes + keptCount).update(from: bytes + start, count: length)
        keptCount += length
    }

    /// Skips a number or a literal up to the next delimiter; returns how many bytes it took.
    func skipScalar() throws(PayloadReadError) -> Int {
        var taken = 0
        while try fill() {
            var index = position
            let end = count
            while index < end {
                switch bytes[index] {
                case 0x2C, 0x5D, 0x7D, 0x20, 0x09, 0x0A, 0x0D, 0x22, 0x7B, 0x5B:
                    taken += index - position
                    position = index
                    return taken
                default:
                    index += 1
                }
            }
            taken += index - position
            position = index
        }
        return taken
    }

    /// Skips to the next line feed (not consuming it) or the end.
    func skipToLineEnd() throws(PayloadReadError) {
        while try fill() {
            var index = position
            while index < count {
                if bytes[index] == 0x0A { position = index; return }
                index += 1
            }
            position = index
        }
    }
}
