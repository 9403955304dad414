import Foundation

/// The order `sync_from_ui` answered with: Odoo's id and the session it actually used (a closed
/// session's order goes into another open one of the same config, ODOO18.md step 2).
public struct OdooCreatedOrder: Sendable, Equatable {
    public var id: Int
    public var sessionID: Int?

    /// A created order.
    public init(id: Int, sessionID: Int?) {
        self.id = id
        self.sessionID = sessionID
    }
}

extension OdooClient {
    /// The order Odoo holds with `uuid` (the oldest when an earlier mistake made several), or nil:
    /// one `search_read`, the re-check an import makes before it sends.
    public func order(uuid: String) throws(OdooError) -> OdooOrderRow? {
        let result = try executeKw(model: "pos.order", method: "search_read", args: [[["uuid", "=", uuid]]],
                                   kwargs: ["fields": OdooRPCOrderFinder.fields, "order": "id", "limit": 1])
        guard let records = result as? [[String: Any]] else {
            throw .badResponse(url: url.absoluteString, detail: "search_read did not return a list of records")
        }
        guard let first = records.first else { return nil }
        guard let row = OdooRPCOrderFinder.row(first) else {
            throw .badResponse(url: url.absoluteString, detail: "a pos.order record without an integer id")
        }
        return row
    }

    /// Sends one order (`order`: its JSON object, cleaned) through `pos.order.sync_from_ui` with
    /// `config_id` in the context, as a till does. Returns Odoo's record of it; nil when Odoo
    /// answered with none, which early 18.0 builds do for a paid order they already have.
    public func syncFromUI(order: [UInt8], configID: Int?) throws(OdooError) -> OdooCreatedOrder? {
        var context: [String: Any] = [:]
        if let configID { context["config_id"] = configID }
        let result = try executeKw(model: "pos.order", method: "sync_from_ui",
                                   argumentsJSON: Array("[[".utf8) + order + Array("]]".utf8),
                                   kwargs: ["context": context])
        guard let data = result as? [String: Any], let orders = data["pos.order"] as? [[String: Any]] else {
            throw .badResponse(url: url.absoluteString, detail: "sync_from_ui did not return read_pos_data's {\"pos.order\": [...]}")
        }
        guard let first = orders.first else { return nil }
        guard let row = OdooRPCOrderFinder.row(first) else {
            throw .badResponse(url: url.absoluteString, detail: "sync_from_ui returned a pos.order without an integer id")
        }
        return OdooCreatedOrder(id: row.id, sessionID: row.sessionID)
    }
}
