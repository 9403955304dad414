import CadangCore

/// A cell value as tests write it, before it goes into a `RowBatch`.
public enum TestValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// Raw text bytes that are not valid UTF-8, and the text they must come back as.
    case invalid([UInt8], repaired: String)
    case blob([UInt8])
}

extension RowBatch {
    /// Appends a test value.
    public mutating func appendValue(_ value: TestValue) {
        switch value {
        case .null: appendNull()
        case .integer(let integer): append(integer)
        case .real(let real): append(real)
        case .text(let text): append(text)
        case .invalid(let bytes, _): bytes.withUnsafeBytes { appendText($0) }
        case .blob(let bytes): bytes.withUnsafeBytes { appendBlob($0) }
        }
    }
}
