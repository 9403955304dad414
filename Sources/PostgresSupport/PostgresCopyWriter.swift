/// Rows for a `COPY … FROM STDIN` in text format: each value escaped (backslash, tab, newline,
/// carriage return; `\N` for NULL), collected into 64 KiB chunks and sent with `PQputCopyData`.
/// Write a row with `appendRow`, or field by field with `append` and `endRow` to spare the array.
public struct PostgresCopyWriter {
    let channel: PostgresCopyChannel
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    /// Rows ended so far.
    public private(set) var rowCount = 0
    /// NUL characters in text given as bytes (`append(text:)`) that were sent as U+FFFD: PostgreSQL
    /// text cannot hold them, and the whole COPY would fail on the first one.
    public private(set) var replacedNULs = 0

    /// What is sent at once: large enough that the per-call cost vanishes, small enough that the
    /// server always has a socket buffer's worth to parse while the next chunk is written (1 MiB
    /// chunks left it idle and made a million-row COPY 30% slower).
    static let flushSize = 1 << 16

    init(channel: PostgresCopyChannel) {
        self.channel = channel
        buffer.reserveCapacity(Self.flushSize + 64 * 1024)
    }

    /// Appends a whole row.
    public mutating func appendRow(_ values: [PostgresValue?]) throws {
        for value in values { append(value) }
        try endRow()
    }

    /// Appends the next field of the current row (nil for NULL).
    public mutating func append(_ value: PostgresValue?) {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
        switch value {
        case nil:
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
        case .text(var string)?:
            // withUTF8 hands over native strings' bytes in place (others are made native once).
            string.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0)) }
        case .integer(let number)?:
            PostgresText.appendDecimal(number, to: &buffer)
        case .bytes(let bytes)?:
            // bytea's input text starts with a backslash, which COPY needs doubled.
            buffer.append(UInt8(ascii: "\\"))
            PostgresText.appendHex(bytes, to: &buffer)
        case let other?:
            // Doubles and booleans have no character COPY treats specially.
            other.appendText(to: &buffer)
        }
    }

    /// Appends NULL as the next field.
    public mutating func appendNull() {
        startField()
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "N"))
    }

    /// Appends an integer as the next field, in decimal.
    public mutating func append(integer value: Int64) {
        startField()
        PostgresText.appendDecimal(value, to: &buffer)
    }

    /// Appends a double as the next field, in a form that reads back to the same bits; whole
    /// values below 2^53 as integers, which skips the shortest-round-trip search and any String.
    public mutating func append(double value: Double) {
        startField()
        if value.magnitude < 9_007_199_254_740_992, let whole = Int64(exactly: value), !(whole == 0 && value.sign == .minus) {
            PostgresText.appendDecimal(whole, to: &buffer)
        } else {
            // For ≤15 bytes (nearly every value) a String stored inline: no allocation.
            buffer.append(contentsOf: PostgresText.double(value).utf8)
        }
    }

    /// Appends UTF-8 text given as bytes as the next field (escaped; NUL sent as U+FFFD and
    /// counted in `replacedNULs`), without making a String of it.
    public mutating func append(text bytes: UnsafeRawBufferPointer) {
        startField()
        appendEscaped(bytes, replacingNUL: true)
    }

    /// Appends bytes as the next field, as bytea hex input (`\\x…` with COPY's backslash doubled).
    public mutating func append(bytea bytes: UnsafeRawBufferPointer) {
        startField()
        buffer.append(UInt8(ascii: "\\"))
        PostgresText.appendHex(bytes, to: &buffer)
    }

    /// Appends a field already in COPY's text form (escaped by the caller), e.g. a value repeated
    /// in every row that is escaped once.
    public mutating func append(escaped bytes: UnsafeRawBufferPointer) {
        startField()
        buffer.append(contentsOf: bytes)
    }

    /// The separator before every field but a row's first.
    private mutating func startField() {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    /// `text` in COPY's text escaping, for `append(escaped:)`.
    public static func escaped(_ text: String) -> [UInt8] {
        var writer = [UInt8]()
        var copy = text
        copy.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): writer += [92, 92]
                case UInt8(ascii: "\t"): writer += [92, UInt8(ascii: "t")]
                case UInt8(ascii: "\n"): writer += [92, UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): writer += [92, UInt8(ascii: "r")]
                default: writer.append(byte)
                }
            }
        }
        return writer
    }

    /// Ends the current row, sending the buffer once it holds a chunk.
    public mutating func endRow() throws {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rowCount += 1
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Sends what is buffered.
    mutating func flush() throws {
        try buffer.withUnsafeBytes { try channel.send($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Text in COPY's escaping; runs with nothing to escape go in with one copy.
    private mutating func appendEscaped(_ bytes: UnsafeRawBufferPointer, replacingNUL: Bool = false) {
        var runStart = 0
        for (index, byte) in bytes.enumerated() {
            let escape: UInt8
            switch byte {
            case 0 where replacingNUL:
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                buffer.append(contentsOf: [0xEF, 0xBF, 0xBD])
                replacedNULs += 1
                runStart = index + 1
                continue
            case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
            default: continue
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(escape)
            runStart = index + 1
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
    }
}
