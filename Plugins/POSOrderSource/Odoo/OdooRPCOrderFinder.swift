/// Finds orders through Odoo's JSON-RPC: one `pos.order.search_read` per batch of lookups.
///
/// The domain is `['|','|',('uuid','in',U),('access_token','in',T),('pos_reference','in',R)]` with R
/// the lookups' exact reference candidates (`OrderLookup.candidates`): exact strings because
/// `pos_reference` is indexed and Odoo stores the till's own string. The rows of every batch are
/// matched together at the end, so one row that two batches found still goes to the better key.
public struct OdooRPCOrderFinder: OdooOrderFinding {
    /// The most lookups per call: 1,000 keeps a request near 150 KB and Odoo's `IN` lists short.
    public static let maximumBatch = 1_000

    let client: OdooClient
    let batchSize: Int

    /// A finder; `batchSize` is clamped to 1…1,000.
    public init(client: OdooClient, batchSize: Int = OdooRPCOrderFinder.maximumBatch) {
        self.client = client
        self.batchSize = min(max(batchSize, 1), OdooRPCOrderFinder.maximumBatch)
    }

    /// The matches; throws `OdooError` when a call fails (nothing is half-matched).
    public func find(_ lookups: [OrderLookup]) throws -> [OdooOrderMatch] {
        try OrderMatching.match(lookups, inRunsOf: batchSize) { try search($0) }
    }

    /// The fields the matcher needs, nothing more (a row is ~200 bytes of JSON).
    static let fields = ["id", "uuid", "access_token", "pos_reference", "session_id", "state"]

    /// One search_read for one batch.
    func search(_ batch: ArraySlice<OrderLookup>) throws(OdooError) -> [OdooOrderRow] {
        let domain = OdooRPCOrderFinder.domain(for: batch)
        if domain.isEmpty { return [] }
        let result = try client.executeKw(model: "pos.order", method: "search_read", args: [domain],
                                          kwargs: ["fields": OdooRPCOrderFinder.fields])
        guard let records = result as? [[String: Any]] else {
            throw .badResponse(url: client.url.absoluteString, detail: "search_read did not return a list of records")
        }
        return try records.map { record throws(OdooError) in
            guard let row = OdooRPCOrderFinder.row(record) else {
                throw .badResponse(url: client.url.absoluteString, detail: "a pos.order record without an integer id")
            }
            return row
        }
    }

    /// The OR of the non-empty legs (an empty `in` would only cost Odoo a useless condition).
    static func domain(for batch: ArraySlice<OrderLookup>) -> [Any] {
        let (uuids, tokens, references) = OrderLookup.identities(of: batch)
        let legs: [[Any]] = [("uuid", uuids), ("access_token", tokens), ("pos_reference", references)]
            .filter { !$0.1.isEmpty }
            .map { [$0.0, "in", $0.1] }
        guard !legs.isEmpty else { return [] }
        return [Any](repeating: "|", count: legs.count - 1) + legs.map { $0 as Any }
    }

    /// A record of search_read: many2one `session_id` is `[id, "name"]`, a missing value `false`.
    static func row(_ record: [String: Any]) -> OdooOrderRow? {
        guard let id = record["id"] as? Int else { return nil }
        func text(_ name: String) -> String? { record[name] as? String }
        var session: Int?
        if let pair = record["session_id"] as? [Any], let first = pair.first as? Int {
            session = first
        } else if let plain = record["session_id"] as? Int {
            session = plain
        }
        return OdooOrderRow(id: id, uuid: text("uuid"), accessToken: text("access_token"),
                            posReference: text("pos_reference"), sessionID: session, state: text("state"))
    }
}

extension OdooRPCOrderFinder {
    /// The domain one batch of `lookups` is searched with (what `find` sends; for tests and logs).
    public static func searchDomain(for lookups: [OrderLookup]) -> [Any] {
        domain(for: lookups[...])
    }
}
