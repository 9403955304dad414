/// An order of our store found in Odoo's `pos_order`.
public struct OdooOrderMatch: Sendable, Equatable {
    /// Which identity found it, best first.
    public enum MatchedBy: String, Sendable, Comparable {
        case uuid
        case accessToken = "access_token"
        case reference

        var strength: Int {
            switch self {
            case .uuid: return 3
            case .accessToken: return 2
            case .reference: return 1
            }
        }

        public static func < (lhs: MatchedBy, rhs: MatchedBy) -> Bool { lhs.strength < rhs.strength }
    }

    /// The lookup's key.
    public var key: String
    /// `pos_order.id`.
    public var odooID: Int
    /// The session Odoo holds the order in; may differ from the payload's (Odoo moves late orders).
    public var sessionID: Int?
    /// Odoo's `state` (paid, done, invoiced, …).
    public var state: String?
    public var matchedBy: MatchedBy

    /// A match.
    public init(key: String, odooID: Int, sessionID: Int?, state: String?, matchedBy: MatchedBy) {
        self.key = key
        self.odooID = odooID
        self.sessionID = sessionID
        self.state = state
        self.matchedBy = matchedBy
    }
}

/// One `pos_order` row as the finders read it, from JSON-RPC or from PostgreSQL.
public struct OdooOrderRow: Sendable, Equatable {
    public var id: Int
    public var uuid: String?
    public var accessToken: String?
    public var posReference: String?
    public var sessionID: Int?
    public var state: String?

    /// A row.
    public init(id: Int, uuid: String?, accessToken: String?, posReference: String?, sessionID: Int?, state: String?) {
        self.id = id
        self.uuid = uuid
        self.accessToken = accessToken
        self.posReference = posReference
        self.sessionID = sessionID
        self.state = state
    }
}
