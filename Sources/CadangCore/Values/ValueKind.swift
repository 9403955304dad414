/// The storage class of one cell, mirroring SQLite's five types.
public enum ValueKind: UInt8, Sendable {
    case null, integer, real, text, blob
}
