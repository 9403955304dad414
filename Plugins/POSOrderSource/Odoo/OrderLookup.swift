/// One order of our store to look for in Odoo, with every identity it may be found by.
public struct OrderLookup: Sendable, Equatable {
    /// The store's key (what a match reports back).
    public var key: String
    public var uuid: String?
    public var accessToken: String?
    /// Exact `pos_reference` strings Odoo may hold for this order (see `candidates(name:posReference:)`).
    public var referenceCandidates: [String]
    /// The trailing `NNNNN-NNN-NNNN` (`OrderReference.normalised`).
    public var normalisedReference: String?

    /// A lookup; empty strings count as absent.
    public init(key: String, uuid: String?, accessToken: String?, referenceCandidates: [String],
                normalisedReference: String?) {
        self.key = key
        self.uuid = uuid.flatMap { $0.isEmpty ? nil : $0 }
        self.accessToken = accessToken.flatMap { $0.isEmpty ? nil : $0 }
        self.referenceCandidates = referenceCandidates.filter { !$0.isEmpty }
        self.normalisedReference = normalisedReference.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A lookup from a payload's fields, with the reference candidates made by `candidates`.
    public init(key: String, uuid: String?, accessToken: String?, name: String?, posReference: String?) {
        let normalised = [posReference, name].compactMap { $0 }.lazy.compactMap(OrderReference.normalised).first
        self.init(key: key, uuid: uuid, accessToken: accessToken,
                  referenceCandidates: OrderLookup.candidates(name: name, posReference: posReference),
                  normalisedReference: normalised)
    }

    /// The exact strings Odoo's `pos_reference` may hold: the payload's `name` (what sync_from_ui
    /// stores, translated word included), its `pos_reference`, and `"Order " + reference`.
    ///
    /// Exact strings, not a pattern: `pos_reference` is indexed, and an `in` of exact strings can use
    /// that index where `like '%00042-003-0017'` must read every row; and Odoo stores the till's own
    /// string, so the payload already holds it (only the offline `pos_reference` lacks the word).
    public static func candidates(name: String?, posReference: String?) -> [String] {
        var result: [String] = []
        func add(_ value: String?) {
            if let value, !value.isEmpty, !result.contains(value) { result.append(value) }
        }
        add(name)
        add(posReference)
        if let reference = [posReference, name].compactMap({ $0 }).lazy.compactMap(OrderReference.normalised).first {
            add("Order " + reference)
        }
        return result
    }

    /// The distinct uuids, tokens and exact reference candidates of `lookups`, in lookup order:
    /// what one search (a JSON-RPC domain or one SQL query) asks Odoo for.
    static func identities(of lookups: ArraySlice<OrderLookup>) -> (uuids: [String], tokens: [String], references: [String]) {
        var uuids: [String] = [], tokens: [String] = [], references: [String] = []
        var seenUUID = Set<String>(), seenToken = Set<String>(), seenReference = Set<String>()
        for lookup in lookups {
            if let uuid = lookup.uuid, seenUUID.insert(uuid).inserted { uuids.append(uuid) }
            if let token = lookup.accessToken, seenToken.insert(token).inserted { tokens.append(token) }
            for reference in lookup.referenceCandidates where seenReference.insert(reference).inserted {
                references.append(reference)
            }
        }
        return (uuids, tokens, references)
    }
}
