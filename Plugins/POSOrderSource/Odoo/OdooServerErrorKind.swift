/// Odoo's server errors sorted by what the user must do about them.
public enum OdooServerErrorKind: Sendable, Equatable {
    /// `odoo.exceptions.AccessError`: the Odoo user lacks a right, e.g. `"read pos.order"`.
    case access(right: String)
    /// `odoo.exceptions.AccessDenied`: the key stopped working after login (revoked, user archived).
    case accessDenied
    /// `odoo.exceptions.UserError` / `ValidationError`: a business rule refused the call.
    case userError
    /// `builtins.ValueError`; `field` when Odoo named one (`Invalid field 'x' on model 'pos.order'`).
    case valueError(field: String?)
    /// Anything else (a bug or a failure on the server).
    case other

    /// Classifies Odoo's `error.data.name` and `error.data.message`.
    public init(name: String, message: String) {
        switch name {
        case "odoo.exceptions.AccessError":
            self = .access(right: OdooServerErrorKind.right(in: message))
        case "odoo.exceptions.AccessDenied":
            self = .accessDenied
        case "odoo.exceptions.UserError", "odoo.exceptions.ValidationError":
            self = .userError
        case "builtins.ValueError":
            self = .valueError(field: OdooServerErrorKind.quoted(after: "Invalid field ", in: message))
        default:
            self = .other
        }
    }

    /// "You are not allowed to access 'Point of Sale Orders' (pos.order) records." → "read pos.order".
    static func right(in message: String) -> String {
        let verbs = ["access": "read", "modify": "write", "create": "create", "delete": "delete"]
        let words = message.split(separator: " ").map(String.init)
        guard let index = words.firstIndex(of: "to"), index + 1 < words.count,
              let verb = verbs[words[index + 1]] else { return "the right this call needs" }
        // The model is the first "(a.b)" group of Odoo's sentence.
        if let open = message.firstIndex(of: "("), let close = message[open...].firstIndex(of: ")") {
            return "\(verb) \(message[message.index(after: open)..<close])"
        }
        return verb
    }

    /// The text between the first pair of single quotes after `marker`.
    static func quoted(after marker: String, in message: String) -> String? {
        guard let range = message.range(of: marker) else { return nil }
        let rest = message[range.upperBound...]
        guard let open = rest.firstIndex(of: "'") else { return nil }
        let afterOpen = rest.index(after: open)
        guard let close = rest[afterOpen...].firstIndex(of: "'") else { return nil }
        return String(rest[afterOpen..<close])
    }
}

extension OdooError {
    /// For `.server`, what kind of error it is; nil for the other cases.
    public var serverKind: OdooServerErrorKind? {
        guard case .server(_, let name, let message) = self else { return nil }
        return OdooServerErrorKind(name: name, message: message)
    }
}
