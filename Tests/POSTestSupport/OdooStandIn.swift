import Foundation

/// The stand-in Odoo (`Tests/OdooStandIn/odoo_standin.py`) as a running process for one test:
/// real HTTP JSON-RPC on 127.0.0.1, backed by a fresh database loaded with odoo18.sql on the
/// PostgreSQL server named by `CADANG_TEST_POSTGRES`. Killed and its database dropped on `stop()`
/// or when released.
public final class OdooStandIn {
    /// An Odoo user the stand-in knows.
    public struct User: Sendable {
        /// What the user may do on `pos.order`.
        public enum Rights: String, Sendable {
            /// Point-of-sale user: read and `sync_from_ui`.
            case pos
            /// Read `pos.order` only (what verify needs).
            case read
            /// Neither: every pos.order call is an AccessError.
            case none
        }

        public var login: String
        public var apiKey: String
        public var uid: Int
        public var rights: Rights

        /// A user.
        public init(login: String, apiKey: String, uid: Int, rights: Rights) {
            self.login = login
            self.apiKey = apiKey
            self.uid = uid
            self.rights = rights
        }

        /// `cadang@toko.id`, uid 2, point-of-sale rights.
        public static let cashier = User(login: "cadang@toko.id", apiKey: "key-cashier-2", uid: 2, rights: .pos)
        /// `auditor@toko.id`, uid 3, read access to pos.order only.
        public static let reader = User(login: "auditor@toko.id", apiKey: "key-reader-3", uid: 3, rights: .read)
        /// `guest@toko.id`, uid 4, no rights on pos.order.
        public static let noRights = User(login: "guest@toko.id", apiKey: "key-guest-4", uid: 4, rights: .none)
    }

    /// A one-shot failure for the next RPC call (`failNext`).
    public enum Failure: Sendable {
        /// Close the connection without an answer.
        case drop
        /// HTTP 500 with an HTML page.
        case http500
        /// HTTP 200 with a body that is not JSON.
        case garbage
        /// Odoo's error object with this `data.name` and `data.message`.
        case odooError(name: String, message: String)
    }

    /// What the call counter says (`GET /__standin/calls`).
    public struct Calls: Sendable, Equatable {
        public var total: Int
        /// Keyed `common.login`, `pos.order.search_read`, `pos.order.sync_from_ui`, …
        public var byMethod: [String: Int]
        /// The stand-in's own time doing the calls' work, by method, in seconds.
        public var secondsByMethod: [String: Double] = [:]

        /// The count for one method, 0 when never called.
        public func count(_ method: String) -> Int { byMethod[method] ?? 0 }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    public let url: URL
    public let port: Int
    /// The Odoo database name, which is also the PostgreSQL database's name.
    public let databaseName: String
    /// libpq key=value string of that database (superuser), for reading the rows Odoo wrote.
    public let odooConninfo: String
    /// The users it was started with.
    public let users: [User]
    private let process: Process
    private let serverConninfo: String
    private let keepDatabase: Bool
    private var stopped = false

    /// The folder holding odoo_standin.py and odoo18.sql.
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("OdooStandIn")

    /// Starts a stand-in on a new database (`database`, default a unique name; replaced if it
    /// exists). `seedOrders` inserts that many rows first (README.md there says which).
    /// Throws `OdooStandInError.noPostgres` when `CADANG_TEST_POSTGRES` is not set: tests fail, not skip.
    public static func start(database: String? = nil, uuidUnique: Bool = false, early: Bool = false,
                             users: [User] = [.cashier, .reader, .noRights], seedOrders: Int = 0,
                             keepDatabase: Bool = false, startTimeout: TimeInterval = 300) throws -> OdooStandIn {
        guard let conninfo = ProcessInfo.processInfo.environment["CADANG_TEST_POSTGRES"], !conninfo.isEmpty else {
            throw OdooStandInError.noPostgres
        }
        let name = database ?? "odoo_" + UUID().uuidString.prefix(8).lowercased()
        var arguments = [folder.appendingPathComponent("odoo_standin.py").path,
                         "--conninfo", conninfo, "--create-db", name, "--replace-db",
                         "--schema", folder.appendingPathComponent("odoo18.sql").path, "--port", "0"]
        if uuidUnique { arguments.append("--uuid-unique") }
        if early { arguments.append("--early") }
        if seedOrders > 0 { arguments += ["--seed-orders", String(seedOrders)] }
        for user in users {
            arguments += ["--user", "\(user.login):\(user.apiKey):\(user.uid):\(user.rights.rawValue)"]
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        let stdout = Pipe()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("odoo-standin-\(name).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw OdooStandInError.startFailed("cannot create \(log.path)")
        }
        let stderr = try FileHandle(forWritingTo: log)
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let reader = PortLineReader(stdout.fileHandleForReading)
        guard let port = reader.waitForPort(timeout: startTimeout) else {
            process.terminate()
            process.waitUntilExit()
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n").suffix(5).joined(separator: " / ")
            throw OdooStandInError.startFailed(tail.isEmpty ? "no 'listening on PORT' line within \(Int(startTimeout)) s" : tail)
        }
        guard let url = URL(string: "http://127.0.0.1:\(port)") else {
            throw OdooStandInError.startFailed("bad port \(port)")
        }
        return OdooStandIn(url: url, port: port, databaseName: name, serverConninfo: conninfo,
                           users: users, process: process, keepDatabase: keepDatabase)
    }

    private init(url: URL, port: Int, databaseName: String, serverConninfo: String, users: [User],
                 process: Process, keepDatabase: Bool) {
        self.url = url
        self.port = port
        self.databaseName = databaseName
        self.serverConninfo = serverConninfo
        // libpq takes the last of a repeated keyword, so this names the stand-in's database.
        self.odooConninfo = serverConninfo + " dbname=\(databaseName)"
        self.users = users
        self.process = process
        self.keepDatabase = keepDatabase
    }

    deinit { stop() }

    /// Kills the process and (unless kept) drops its database. Safe to call twice.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if !keepDatabase {
            _ = try? PSQL.run("DROP DATABASE IF EXISTS \"\(databaseName)\" WITH (FORCE)", conninfo: serverConninfo)
        }
    }

    /// Whether the process is still running.
    public var isRunning: Bool { process.isRunning }

    /// The call counter.
    public func calls() throws -> Calls {
        let answer = try StandInHTTP.request(url.appendingPathComponent("__standin/calls"), method: "GET")
        guard let total = answer["total"] as? Int, let byMethod = answer["by_method"] as? [String: Int] else {
            throw OdooStandInError.controlFailed("unexpected /__standin/calls answer")
        }
        var calls = Calls(total: total, byMethod: byMethod)
        calls.secondsByMethod = answer["seconds_by_method"] as? [String: Double] ?? [:]
        return calls
    }

    /// Sends a raw control body (`delay_seconds`, `fail_next`, `reset_calls`, `reset`).
    public func control(_ body: [String: Any]) throws {
        _ = try StandInHTTP.request(url.appendingPathComponent("__standin/control"), method: "POST", json: body)
    }

    /// Every later RPC call (or only those of `methods`, e.g. `pos.order.sync_from_ui`) waits
    /// `seconds` before it does its work and answers (0 ends it).
    public func setDelay(_ seconds: Double, methods: [String] = []) throws {
        try control(["delay_seconds": seconds, "delay_methods": methods])
    }

    /// The next RPC call fails this way.
    public func failNext(_ failure: Failure) throws {
        let value: Any
        switch failure {
        case .drop: value = "drop"
        case .http500: value = "http_500"
        case .garbage: value = "garbage"
        case .odooError(let name, let message): value = ["name": name, "message": message]
        }
        try control(["fail_next": value])
    }

    /// Sets the call counter back to zero.
    public func resetCalls() throws { try control(["reset_calls": true]) }

    /// Runs SQL on Odoo's database through psql; rows as `a|b|c` lines.
    @discardableResult
    public func execute(_ sql: String) throws -> [String] {
        try PSQL.run(sql, conninfo: odooConninfo)
    }

    /// Puts a paid order straight into pos_order (as if Odoo had it already), every NOT NULL
    /// column set; returns its id. For look-up tests only: imports go through `sync_from_ui`.
    @discardableResult
    public func insertOrder(uuid: String?, accessToken: String? = nil, posReference: String?,
                            name: String = "Shop/9999", sessionID: Int = 43, state: String = "paid") throws -> Int {
        let sql = """
            INSERT INTO pos_order (user_id, company_id, pricelist_id, sequence_number, session_id, config_id, nb_print,
                sale_journal, create_uid, write_uid, access_token, name, state, pos_reference, uuid,
                amount_tax, amount_total, amount_paid, amount_return, currency_rate, to_invoice, is_tipped,
                has_deleted_line, date_order, create_date, write_date)
            VALUES (6, 1, 1, 1, \(sessionID), 3, 0, 1, 6, 6, \(PSQL.literal(accessToken)), \(PSQL.literal(name)),
                \(PSQL.literal(state)), \(PSQL.literal(posReference)), \(PSQL.literal(uuid)),
                1.1, 11, 11, 0, 1, false, false, false, now(), now(), now())
            RETURNING id
            """
        guard let line = try execute(sql).first, let id = Int(line) else {
            throw OdooStandInError.sqlFailed(sql: sql, error: "no id returned")
        }
        return id
    }
}

/// Reads the stand-in's stdout on its own thread: the first line gives the port, the rest is
/// drained so the pipe never fills.
private final class PortLineReader: @unchecked Sendable {
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var port: Int?

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            var buffer = Data()
            var signalled = false
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                if signalled { continue }
                buffer.append(chunk)
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    if line.hasPrefix("listening on "), let value = Int(line.dropFirst("listening on ".count)) {
                        lock.withLock { port = value }
                    }
                    signalled = true
                    ready.signal()
                }
            }
            if !signalled { ready.signal() }
        }
        thread.start()
    }

    func waitForPort(timeout: TimeInterval) -> Int? {
        guard ready.wait(timeout: .now() + timeout) == .success else { return nil }
        return lock.withLock { port }
    }
}
