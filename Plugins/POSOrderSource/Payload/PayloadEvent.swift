/// One top-level order item found in a payload, not yet decoded.
struct PayloadItem: Sendable, Equatable {
    /// 0-based position in the file's sequence of items (rejected ones count too).
    var index: Int
    /// The item's bytes exactly as received (one JSON value that starts with `{`).
    var bytes: [UInt8]
    /// The line the item is on when the file is JSON Lines, for the operator's messages.
    var line: Int?
    /// The export wrapper's config id (the trailing number of its `database`), for records that
    /// carry no `config_id` of their own.
    var fallbackConfigID: Int64?
}

/// What a `PayloadSplitter` yields: an item to decode, or a part of the input it had to reject.
enum PayloadEvent: Sendable, Equatable {
    case item(PayloadItem)
    /// `index` is nil when the rejection is about the whole file (it is not JSON).
    case rejected(index: Int?, reason: String)
}
