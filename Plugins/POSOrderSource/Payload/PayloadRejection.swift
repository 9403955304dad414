/// Why one payload item (or the rest of a file) was not turned into an order. The reason is a
/// sentence meant for the operator; the caller adds the file (or request) and the item's index.
struct PayloadRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. `no uuid, access_token or order reference`.
    var reason: String

    /// A rejection with its reason.
    init(_ reason: String) { self.reason = reason }

    var description: String { reason }
}

/// A payload file could not be read at all (as opposed to an item in it being bad).
struct PayloadReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, or `request body` for an in-memory buffer.
    var origin: String
    /// The system's words, e.g. `No such file or directory`.
    var reason: String

    var description: String { "cannot read \(origin): \(reason)" }
}
