import CadangCore
import Foundation

/// The source's `odoo:` options.
struct OdooSettings: Sendable {
    var url: String
    var database: String
    var user: String
    var apiKey: String
    /// A connection string to Odoo's own PostgreSQL database, when verify may read it directly.
    var postgres: String?
    var timeout: Double
    /// The currency's smallest amount: payments within half of it of the total add up.
    var currencyRounding: Double
    /// How long after a send left without an answer Odoo may still be creating the order.
    var resendAfter: Double

    init(_ options: PluginOptions) {
        url = options.string("url") ?? ""
        database = options.string("database") ?? ""
        user = options.string("user") ?? ""
        apiKey = options.string("api_key") ?? ""
        postgres = options.string("postgres")
        timeout = options.duration("timeout") ?? 30
        currencyRounding = options.number("currency_rounding") ?? 0.01
        resendAfter = options.duration("resend_after") ?? 180
    }

    /// A JSON-RPC client for the server.
    func client() throws -> OdooClient {
        guard let address = URL(string: url), address.scheme == "http" || address.scheme == "https" else {
            throw CadangError(.usage, "odoo.url '\(url)' is not an http(s) address", fix: "e.g. http://127.0.0.1:8069")
        }
        return OdooClient(url: address, database: database, user: user, apiKey: apiKey, timeout: timeout)
    }

    /// The finder verify uses: Odoo's database directly when `postgres` is set, else JSON-RPC.
    func finder() throws -> any OdooOrderFinding {
        if let postgres { return try OdooSQLOrderFinder(conninfo: postgres) }
        return try OdooRPCOrderFinder(client: client())
    }
}
