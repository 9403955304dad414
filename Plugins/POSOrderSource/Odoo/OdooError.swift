import CadangCore

/// What went wrong talking to Odoo, typed so a caller can tell a server that is down from a key
/// that is wrong from a user who lacks a right; each case says how to fix it (`cadangError`).
///
/// Every case names the URL (which server) and none carries the API key.
public enum OdooError: Error, Sendable, Equatable {
    /// No answer at all: the server is down, refused the connection, the name does not resolve,
    /// TLS failed, or it did not answer in time.
    case unreachable(url: String, reason: OdooUnreachableReason)
    /// `common.login` answered `false`: unknown user or wrong API key.
    case loginRefused(url: String, database: String, user: String)
    /// The server has no database of that name (Odoo's registry cannot open it).
    case unknownDatabase(url: String, database: String)
    /// Odoo answered with its error object (`error.data.name`, `error.data.message`).
    case server(url: String, name: String, message: String)
    /// An answer that is not Odoo's JSON-RPC: an HTML error page, a proxy's reply, not JSON.
    case badResponse(url: String, detail: String)
}

/// Why Odoo could not be reached, as precisely as the network layer tells.
public enum OdooUnreachableReason: Sendable, Equatable, CustomStringConvertible {
    case connectionRefused
    case timedOut(seconds: Double)
    case hostNotFound
    case tls(String)
    case connectionLost
    case other(String)

    public var description: String {
        switch self {
        case .connectionRefused: return "connection refused"
        case .timedOut(let seconds): return "no answer within \(OdooUnreachableReason.format(seconds)) s (timeout)"
        case .hostNotFound: return "host not found (DNS)"
        case .tls(let detail): return "TLS failed: \(detail)"
        case .connectionLost: return "the connection was closed before an answer"
        case .other(let detail): return detail
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
