/// The dialect a CSV file is written in.
struct CSVFormat {
    /// Field separator byte.
    var delimiter: UInt8
    /// CRLF record separators (else LF).
    var crlf: Bool
    /// Start with a UTF-8 BOM so Excel detects the encoding.
    var byteOrderMark: Bool
    /// Prefix formula-like text cells with `'`.
    var guardFormulas: Bool
    /// Write a header record.
    var header: Bool
}
