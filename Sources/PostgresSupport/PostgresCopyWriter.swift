/// Rows for a `COPY … FROM STDIN` in text format: each value escaped (backslash, tab, newline,
/// carriage return; `\N` for NULL), collected into 64 KiB chunks and sent with `PQputCopyData`.
/// Write a row with `appendRow`, or field by field with `append` and `endRow` to spare the array.
/// The server infers each field's type from its column; for typed bulk loads
/// `PostgresBinaryCopyWriter` is faster.
public struct PostgresCopyWriter {
    let channel: PostgresCopyChannel
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    /// Rows ended so far.
    public private(set) var rowCount = 0

    init(channel: PostgresCopyChannel) {
        self.channel = channel
        buffer.reserveCapacity(PostgresCopyChannel.bufferCapacity)
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

    /// Ends the current row, sending the buffer once it holds a chunk.
    public mutating func endRow() throws {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rowCount += 1
        if buffer.count >= PostgresCopyChannel.chunkSize { try flush() }
    }

    /// Sends what is buffered.
    mutating func flush() throws {
        try buffer.withUnsafeBytes { try channel.send($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Text in COPY's escaping; runs with nothing to escape go in with one copy.
    private mutating func appendEscaped(_ bytes: UnsafeRawBufferPointer) {
        var runStart = 0
        for (index, byte) in bytes.enumerated() {
            let escape: UInt8
            switch byte {
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
