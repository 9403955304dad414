/// One cell of a `RowBatch`, borrowed: text and blob values are byte ranges into the batch's arena.
public enum Cell: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    /// UTF-8 (not validated) bytes at this range of `RowBatch.bytes`.
    case text(Range<Int>)
    /// Raw bytes at this range of `RowBatch.bytes`.
    case blob(Range<Int>)
}
