/// A source that takes items sent to it over the network: the body of `cadang serve`'s
/// `POST /api/v1/sources/<source>/orders` (DESIGN §8), in any shape its files may have.
///
/// Contract: `ingest` returns only once every item it reports `stored` or `newVersion` is durable
/// (an acknowledged item survives `kill -9` and a power cut), with one result per item of the body,
/// in the body's order, a rejected item included with its reason; the other items are stored. A
/// body that is not JSON at all (nothing in it can be an item) throws `IngestBodyError`; nothing
/// is stored then. It may be called from several threads at once, each call on its own thread.
public protocol ItemIngesting: Source {
    /// Stores the items of `body`; `origin` names the sender in events and messages.
    func ingest(_ body: [UInt8], origin: String, state: SourceState) throws -> [IngestedItem]
}

/// What happened to one item of an ingested body.
public struct IngestedItem: Sendable, Codable, Equatable {
    /// What the store did with it.
    public enum Status: String, Sendable, Codable {
        case stored, unchanged
        case newVersion = "new_version"
        case rejected
    }

    /// The item's 0-based position in the body.
    public var index: Int
    /// The item's key, when it was read far enough to have one.
    public var key: String?
    public var status: Status
    /// Why it was rejected.
    public var reason: String?

    /// A result.
    public init(index: Int, key: String?, status: Status, reason: String? = nil) {
        self.index = index
        self.key = key
        self.status = status
        self.reason = reason
    }
}

/// A body with nothing in it that could be an item (HTTP 400).
public struct IngestBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why, e.g. "the body is not JSON".
    public var reason: String

    /// An error with its reason.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
