/// A statement parameter or a COPY field, sent to the server in text format.
public enum PostgresValue: Sendable, Hashable {
    /// Text; the server infers the parameter's type from the statement, as for a quoted literal.
    case text(String)
    /// A 64-bit integer.
    case integer(Int64)
    /// A double, written so that it reads back to the same bits (NaN and the infinities included).
    case double(Double)
    /// A boolean.
    case boolean(Bool)
    /// Binary data, sent as bytea hex (`\x…`).
    case bytes([UInt8])
}

extension PostgresValue {
    /// The value in PostgreSQL's text input syntax, appended to `buffer` without a terminator.
    func appendText(to buffer: inout [UInt8]) {
        switch self {
        case .text(let string):
            buffer.append(contentsOf: string.utf8)
        case .integer(let value):
            PostgresText.appendDecimal(value, to: &buffer)
        case .double(let value):
            buffer.append(contentsOf: PostgresText.double(value).utf8)
        case .boolean(let value):
            buffer.append(contentsOf: (value ? "true" : "false").utf8)
        case .bytes(let bytes):
            PostgresText.appendHex(bytes, to: &buffer)
        }
    }
}
