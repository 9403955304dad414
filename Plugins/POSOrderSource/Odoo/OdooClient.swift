import Foundation

/// Odoo's external JSON-RPC API (`POST {url}/jsonrpc`, ODOO18.md "Calling Odoo from outside"):
/// `common.login` with an API key, then `object.execute_kw` with the uid and the key.
///
/// Synchronous and safe to share between threads: the uid is cached behind a lock, each call is
/// its own request, so two threads may have calls in flight at once.
public final class OdooClient: Sendable {
    /// The server's base URL, as configured (`odoo.url`).
    public let url: URL
    /// The Odoo database name (`odoo.database`).
    public let database: String
    /// The Odoo login (`odoo.user`).
    public let user: String
    private let apiKey: String
    private let http: OdooHTTP
    private let endpoint: URL
    private let state = OdooClientState()

    /// A client; nothing is sent until the first call. `timeout` bounds every request, in seconds.
    public init(url: URL, database: String, user: String, apiKey: String, timeout: TimeInterval = 30) {
        self.url = url
        self.database = database
        self.user = user
        self.apiKey = apiKey
        self.http = OdooHTTP(timeout: timeout, server: url)
        self.endpoint = url.appendingPathComponent("jsonrpc")
    }

    /// Logs in and returns the uid (cached for later calls).
    /// Throws `.loginRefused` when Odoo answers `false`, `.unknownDatabase` when it has no such database.
    @discardableResult
    public func login() throws(OdooError) -> Int {
        let result: Any
        do throws(OdooError) {
            result = try call(service: "common", method: "login", args: [database, user, apiKey])
        } catch {
            if OdooClient.isUnknownDatabase(error) {
                throw .unknownDatabase(url: url.absoluteString, database: database)
            }
            throw error
        }
        guard let uid = result as? Int, !(result is Bool) else {
            throw .loginRefused(url: url.absoluteString, database: database, user: user)
        }
        state.uid = uid
        return uid
    }

    /// `model.method(*args, **kwargs)` as this user; logs in first when not yet logged in.
    public func executeKw(model: String, method: String, args: [Any], kwargs: [String: Any] = [:]) throws(OdooError) -> Any {
        // Not `state.uid ?? login()`: `??` rethrows untyped.
        let uid: Int
        if let cached = state.uid { uid = cached } else { uid = try login() }
        return try call(service: "object", method: "execute_kw",
                        args: [database, uid, apiKey, model, method, args, kwargs])
    }

    /// `model.method` as this user with its positional arguments given as JSON text (a list), sent
    /// as they are: an order's numbers keep their digits instead of passing through `Double`.
    public func executeKw(model: String, method: String, argumentsJSON: [UInt8], kwargs: [String: Any] = [:]) throws(OdooError) -> Any {
        let uid: Int
        if let cached = state.uid { uid = cached } else { uid = try login() }
        // The envelope is `call`'s, spelt out so the arguments can be spliced in unparsed.
        var body = Data(#"{"jsonrpc":"2.0","method":"call","id":\#(state.nextID()),"params":{"service":"object","method":"execute_kw","args":["#.utf8)
        for value in [database, uid, apiKey, model, method] as [Any] {
            body.append(try encode(value))
            body.append(UInt8(ascii: ","))
        }
        body.append(contentsOf: argumentsJSON)
        body.append(UInt8(ascii: ","))
        body.append(try encode(kwargs))
        body.append(contentsOf: Array("]}}".utf8))
        return try post(body)
    }

    /// One JSON-RPC call: Odoo's `result`, or its `error` as `.server(name:message:)`.
    public func call(service: String, method: String, args: [Any]) throws(OdooError) -> Any {
        let envelope: [String: Any] = ["jsonrpc": "2.0", "method": "call", "id": state.nextID(),
                                       "params": ["service": service, "method": method, "args": args]]
        return try post(try encode(envelope))
    }

    private func encode(_ value: Any) throws(OdooError) -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
        } catch {
            throw .badResponse(url: url.absoluteString, detail: "cannot encode the call as JSON: \(error)")
        }
    }

    private func post(_ body: Data) throws(OdooError) -> Any {
        let (status, data) = try http.post(endpoint, body: body, server: url.absoluteString)
        return try OdooClient.decode(status: status, data: data, url: url.absoluteString)
    }

    /// Odoo's answer: `result`, or `error.data` as `.server`; anything else as `.badResponse`.
    static func decode(status: Int, data: Data, url: String) throws(OdooError) -> Any {
        let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        guard let answer = object as? [String: Any] else {
            let start = String(decoding: data.prefix(80), as: UTF8.self)
            throw .badResponse(url: url, detail: "HTTP \(status), body starts \(start.debugDescription)")
        }
        if let error = answer["error"] as? [String: Any] {
            let details = error["data"] as? [String: Any] ?? [:]
            let name = details["name"] as? String ?? "unknown"
            let message = details["message"] as? String ?? error["message"] as? String ?? ""
            throw .server(url: url, name: name, message: message)
        }
        guard status == 200, let result = answer["result"] else {
            throw .badResponse(url: url, detail: "HTTP \(status) without a result")
        }
        return result
    }

    static func isUnknownDatabase(_ error: OdooError) -> Bool {
        guard case .server(_, let name, let message) = error else { return false }
        return name.hasPrefix("psycopg2.") && message.contains("does not exist")
    }
}

/// The client's mutable part: the uid once logged in, and the JSON-RPC id counter.
private final class OdooClientState: @unchecked Sendable {
    private let lock = NSLock()
    private var cachedUID: Int?
    private var lastID = 0

    var uid: Int? {
        get { lock.withLock { cachedUID } }
        set { lock.withLock { cachedUID = newValue } }
    }

    func nextID() -> Int {
        lock.withLock {
            lastID += 1
            return lastID
        }
    }
}
