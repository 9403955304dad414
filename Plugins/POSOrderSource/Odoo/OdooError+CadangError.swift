import CadangCore
import Foundation

extension OdooError: CustomStringConvertible {
    /// The one line a user sees, with its fix.
    public var description: String { cadangError.description }

    /// As the core's error: exit status 1, one line naming the URL (never the API key), and a fix.
    public var cadangError: CadangError {
        switch self {
        case .unreachable(let url, let reason):
            return CadangError(.failure, "Odoo at \(url) is unreachable: \(reason)", fix: OdooError.fix(for: reason))
        case .loginRefused(let url, let database, let user):
            return CadangError(.failure, "Odoo at \(url) refused the login of '\(user)' on database '\(database)'",
                               fix: "check odoo.user and the API key; an API key is made in Odoo under Preferences → Account Security")
        case .unknownDatabase(let url, let database):
            return CadangError(.failure, "Odoo at \(url) has no database '\(database)'",
                               fix: "check odoo.database (the name on Odoo's database selector)")
        case .server(let url, let name, let message):
            let text = OdooError.oneLine(message)
            switch OdooServerErrorKind(name: name, message: message) {
            case .access(let right):
                return CadangError(.failure, "Odoo at \(url) refused: the Odoo user lacks the right to \(right) (\(text))",
                                   fix: "give odoo.user point-of-sale rights in Odoo (Settings → Users → Point of Sale: User); verify needs read access to pos.order")
            case .accessDenied:
                return CadangError(.failure, "Odoo at \(url) denied access: the API key no longer works",
                                   fix: "check odoo.user and the API key; an API key is made in Odoo under Preferences → Account Security")
            case .userError:
                let fix = text.contains("No open session") ? "open a session of that point of sale in Odoo, then retry" : nil
                return CadangError(.failure, "Odoo at \(url) refused the call: \(text)", fix: fix)
            case .valueError(let field):
                let what = field.map { "the field '\($0)'" } ?? "a value"
                return CadangError(.failure, "Odoo at \(url) rejected \(what): \(text)",
                                   fix: "cadang sent something this Odoo does not know; report it with the Odoo version")
            case .other:
                return CadangError(.failure, "Odoo at \(url) failed: \(name): \(text)",
                                   fix: "see Odoo's server log for the traceback")
            }
        case .badResponse(let url, let detail):
            return CadangError(.failure, "Odoo at \(url) gave an answer that is not Odoo's JSON-RPC: \(OdooError.oneLine(detail))",
                               fix: "check that odoo.url points at Odoo itself (not a proxy's error page) and that Odoo is healthy")
        }
    }

    static func fix(for reason: OdooUnreachableReason) -> String {
        switch reason {
        case .connectionRefused: return "check odoo.url and that Odoo is running"
        case .timedOut: return "Odoo is slow or stuck; check its load, or raise odoo.timeout"
        case .hostNotFound: return "check the host name in odoo.url"
        case .tls: return "check Odoo's certificate, or use http:// if it serves plain HTTP"
        case .connectionLost: return "check Odoo's log and any proxy in front of it"
        case .other: return "check odoo.url and the network"
        }
    }

    /// Odoo's messages span lines (ACL errors list groups); a CadangError is one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
