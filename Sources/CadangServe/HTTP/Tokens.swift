import CadangCore
import CadangHost

/// Who a request is, by the token it carries (DESIGN §8): the tills' ingest token may only add
/// orders; the manager's may do everything.
enum Role: Sendable, Equatable {
    case ingest, manager
}

/// The two tokens of `serve:`, compared in constant time and never logged.
struct Tokens: Sendable {
    private let ingest: [UInt8]?
    private let manager: [UInt8]?

    init(_ settings: ServeSettings) {
        ingest = settings.ingestToken.map { Array(SHA256.hex(of: Array($0.utf8)).utf8) }
        manager = settings.managerToken.map { Array(SHA256.hex(of: Array($0.utf8)).utf8) }
    }

    /// The role of `token`, or nil when it is neither. Both digests are always compared, every
    /// byte of each, so the time taken says nothing about how much of a token was right.
    func role(of token: String) -> Role? {
        let given = Array(SHA256.hex(of: Array(token.utf8)).utf8)
        let isManager = manager.map { ConstantTime.equal(given, $0) } ?? false
        let isIngest = ingest.map { ConstantTime.equal(given, $0) } ?? false
        return isManager ? .manager : isIngest ? .ingest : nil
    }

    /// Whether the manager's token is set (the console needs it).
    var hasManager: Bool { manager != nil }
}
