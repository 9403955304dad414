#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Rows for a `COPY … FROM STDIN (FORMAT binary)`: each field is its length and the column
/// type's binary form, so the server parses no numbers and unescapes no text, and the client
/// formats none.
///
/// Binary COPY has no type inference: every field must be in the binary form of its column's
/// exact type (`append(int64:)` for bigint, `append(float64:)` for double precision,
/// `append(text:)` for text, `append(bytea:)` for bytea, `append(timestamp:)` for timestamptz).
/// Check the table's column types first; the server refuses or misreads anything else.
/// Start each row with `beginRow(fields:)` and append exactly that many fields.
public struct PostgresBinaryCopyWriter {
    let channel: PostgresCopyChannel
    private var bytes: PostgresCopyBytes
    /// Rows begun so far.
    public private(set) var rowCount = 0
    /// NUL characters in text that were sent as U+FFFD: PostgreSQL text cannot hold them, and
    /// the whole COPY would fail on the first one.
    public private(set) var replacedNULs = 0
    /// Text and bytea values over `maxFieldBytes`, sent as NULL: the server would fail the whole
    /// COPY on the first one.
    public private(set) var oversizedFields = 0
    /// The largest text or bytea value sent (PostgreSQL stores no value of 1 GB or more).
    public static let maxFieldBytes = (1 << 30) - 64
    /// `maxFieldBytes`, lowered by tests.
    var fieldLimit = maxFieldBytes

    /// The signature, flags (none) and header extension length (none) the format starts with.
    private static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// U+FFFD in UTF-8.
    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]
    /// Seconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01 (both UTC).
    private static let postgresEpoch: TimeInterval = 946_684_800

    init(channel: PostgresCopyChannel) {
        self.channel = channel
        bytes = PostgresCopyBytes(capacity: PostgresCopyChannel.bufferCapacity)
        Self.header.withUnsafeBytes { bytes.append($0) }
    }

    /// Starts a row of `fields` fields (a table has at most 1,600 columns), sending what is
    /// buffered once it holds a chunk.
    public mutating func beginRow(fields: Int16) throws {
        if bytes.count >= PostgresCopyChannel.chunkSize { try flush() }
        bytes.reserve(2)
        bytes.appendUnchecked(bigEndian: fields)
        rowCount += 1
    }

    /// Appends NULL as the next field.
    public mutating func appendNull() {
        bytes.reserve(4)
        bytes.appendUnchecked(bigEndian: Int32(-1))
    }

    /// Appends a bigint.
    public mutating func append(int64 value: Int64) {
        bytes.reserve(12)
        bytes.appendUnchecked(bigEndian: Int32(8))
        bytes.appendUnchecked(bigEndian: value)
    }

    /// Appends a double precision (its IEEE 754 bits; NaN and the infinities included).
    public mutating func append(float64 value: Double) {
        bytes.reserve(12)
        bytes.appendUnchecked(bigEndian: Int32(8))
        bytes.appendUnchecked(bigEndian: value.bitPattern)
    }

    /// Appends a timestamptz, to the microsecond.
    public mutating func append(timestamp: Date) {
        append(int64: Self.microsecondsSincePostgresEpoch(timestamp))
    }

    /// Appends a bytea (NULL, counted in `oversizedFields`, when over `maxFieldBytes`).
    public mutating func append(bytea value: UnsafeRawBufferPointer) {
        guard value.count <= fieldLimit else { return appendOversized() }
        bytes.reserve(4 + value.count)
        bytes.appendUnchecked(bigEndian: Int32(value.count))
        bytes.appendUnchecked(value)
    }

    /// Appends text given as valid UTF-8 bytes; NUL is sent as U+FFFD and counted in
    /// `replacedNULs` (NULL, counted in `oversizedFields`, when over `maxFieldBytes`).
    public mutating func append(text value: UnsafeRawBufferPointer) {
        guard let start = value.baseAddress, memchr(start, 0, value.count) != nil else {
            append(bytea: value) // the same layout: length, then the bytes
            return
        }
        // Rare in real text, so a plain count.
        let nuls = value.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
        let length = value.count + 2 * nuls // each NUL becomes three bytes
        guard length <= fieldLimit else { return appendOversized() }
        bytes.reserve(4 + length)
        bytes.appendUnchecked(bigEndian: Int32(length))
        var runStart = 0
        for (index, byte) in value.enumerated() where byte == 0 {
            bytes.appendUnchecked(UnsafeRawBufferPointer(rebasing: value[runStart..<index]))
            Self.replacementCharacter.withUnsafeBytes { bytes.appendUnchecked($0) }
            runStart = index + 1
        }
        bytes.appendUnchecked(UnsafeRawBufferPointer(rebasing: value[runStart...]))
        replacedNULs += nuls
    }

    private mutating func appendOversized() {
        oversizedFields += 1
        appendNull()
    }

    /// Appends an integer as text, in decimal (for a text column holding a number).
    public mutating func append(decimalText value: Int64) {
        bytes.reserve(4 + PostgresText.maxDecimalBytes)
        let lengthAt = bytes.count
        bytes.appendUnchecked(bigEndian: Int32(0))
        let length = PostgresText.writeDecimal(value, into: bytes.end)
        bytes.advance(by: length)
        bytes.set(bigEndian: Int32(length), at: lengthAt)
    }

    /// Appends a double as text, in the shortest form that reads back to it (`44000.0`, `NaN`,
    /// `-Infinity`), for a text column holding a number.
    public mutating func append(realText value: Double) {
        var shown = PostgresText.double(value)
        shown.withUTF8 { append(text: UnsafeRawBufferPointer($0)) }
    }

    /// Appends fields prepared once with `encoded(text:)` and `encoded(timestamp:)`, e.g. the
    /// same values at the start of every row.
    public mutating func append(encoded fields: UnsafeRawBufferPointer) {
        bytes.append(fields)
    }

    /// `text` as a field for `append(encoded:)` (NUL as U+FFFD).
    public static func encoded(text: String) -> [UInt8] {
        let utf8 = Array(text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").utf8)
        return withUnsafeBytes(of: Int32(utf8.count).bigEndian, Array.init) + utf8
    }

    /// A timestamptz as a field for `append(encoded:)`.
    public static func encoded(timestamp: Date) -> [UInt8] {
        withUnsafeBytes(of: Int32(8).bigEndian, Array.init) + withUnsafeBytes(of: microsecondsSincePostgresEpoch(timestamp).bigEndian, Array.init)
    }

    static func microsecondsSincePostgresEpoch(_ date: Date) -> Int64 {
        Int64(((date.timeIntervalSince1970 - postgresEpoch) * 1_000_000).rounded())
    }

    /// Sends what is buffered.
    mutating func flush() throws {
        try bytes.withBytes { try channel.send($0) }
        bytes.removeAll()
    }

    /// Appends the trailer that ends the data (a field count of -1) and sends the rest.
    mutating func finish() throws {
        bytes.reserve(2)
        bytes.appendUnchecked(bigEndian: Int16(-1))
        try flush()
    }
}
