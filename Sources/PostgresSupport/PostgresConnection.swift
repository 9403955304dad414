import CPostgres
import Foundation

/// One connection to a PostgreSQL server, through libpq.
///
/// Use it from one thread at a time: libpq's connection object has no lock of its own. It may move
/// between threads (as a `sending` value), so it is deliberately not `Sendable`.
public final class PostgresConnection {
    private var connection: OpaquePointer?
    /// The connection string as messages show it (no password).
    public let target: String
    /// Names this connection's cursors apart.
    var cursorCount = 0

    /// Connects with any libpq connection string: a URI (`postgresql://user@host/db`), `key=value`
    /// pairs, or an empty string for everything from the `PG*` environment; `~/.pgpass`
    /// (or `PGPASSFILE`) supplies the password as libpq always does. `applicationName` is what
    /// `pg_stat_activity` shows unless the string or `PGAPPNAME` names one.
    public init(_ conninfo: String, applicationName: String = "cadang") throws {
        target = conninfo.isEmpty ? "PostgreSQL (from the PG* environment)" : PostgresConnectionString.redacted(conninfo)
        // expand_dbname turns the string into its settings; fallback_application_name defers to
        // any name given; client_encoding comes last, so nothing overrides it, because every
        // string this module reads and writes is UTF-8.
        let settings: [(String, String)] = [
            ("fallback_application_name", applicationName),
            ("dbname", conninfo),
            ("client_encoding", "UTF8"),
        ]
        let connection = withCStrings(settings.map(\.0)) { keywords in
            withCStrings(settings.map(\.1)) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let connection else {
            throw PostgresError(sqlState: "08001", message: "libpq could not allocate a connection", action: "connect to \(target)")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = PQerrorMessage(connection).map { String(cString: $0) } ?? ""
            PQfinish(connection)
            throw PostgresError.connectionFailure(PostgresConnectionString.scrub(message, conninfo: conninfo),
                                                  action: "connect to \(target)")
        }
        // libpq prints notices (`DROP … IF EXISTS` skipping, say) to stderr unless told otherwise;
        // a backup's output is its own.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        self.connection = connection
    }

    deinit { PQfinish(connection) }

    /// Closes the connection; any later call throws.
    public func close() {
        PQfinish(connection)
        connection = nil
    }

    /// The open libpq connection, or the error for using a closed one.
    func handle(for action: String) throws -> OpaquePointer {
        guard let connection else {
            throw PostgresError(sqlState: "08003", message: "the connection was closed", action: action)
        }
        return connection
    }

    /// The server's version as libpq reports it (150004 for 15.4).
    public var serverVersion: Int {
        connection.map { Int(PQserverVersion($0)) } ?? 0
    }

    /// Whether a transaction is open (or failed and not yet rolled back).
    public var isInTransaction: Bool {
        guard let connection else { return false }
        let status = PQtransactionStatus(connection)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Whether a statement failed in the open transaction, so that only ROLLBACK is accepted.
    var isInFailedTransaction: Bool {
        connection.map { PQtransactionStatus($0) == PQTRANS_INERROR } ?? false
    }

    /// Runs one statement with `$1`, `$2`… bound to `params` (nil for NULL), all in text format,
    /// so no value is ever spliced into SQL.
    @discardableResult
    public func execute(_ sql: String, _ params: [PostgresValue?] = []) throws -> PostgresResult {
        let action = "run \(PostgresStatementText.shown(sql))"
        let connection = try handle(for: action)
        let result = try PostgresParameters(params, action: action).withPointers { values, types in
            PQexecParams(connection, sql, Int32(params.count), types, values, nil, nil, 0)
        }
        return try check(result, connection: connection, action: action)
    }

    /// Runs SQL without parameters, possibly several statements separated by semicolons (DDL,
    /// `BEGIN`, a script); stops at the first that fails.
    public func run(_ sql: String) throws {
        let action = "run \(PostgresStatementText.shown(sql))"
        let connection = try handle(for: action)
        _ = try check(PQexec(connection, sql), connection: connection, action: action)
    }

    /// `result` when it reports success; otherwise the error it stands for, with any COPY the
    /// statement started ended so the connection stays usable.
    func check(_ result: OpaquePointer?, connection: OpaquePointer, action: String) throws -> PostgresResult {
        guard let result else { throw PostgresError.from(result: nil, connection: connection, action: action) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(result)
        case PGRES_COPY_IN, PGRES_COPY_OUT:
            PQclear(result)
            abandonCopy(connection)
            throw PostgresError(sqlState: nil, message: "COPY needs copyIn, not execute or run", action: action)
        default:
            defer { PQclear(result) }
            throw PostgresError.from(result: result, connection: connection, action: action)
        }
    }

    /// Ends a COPY nobody is feeding or reading, and drains its results.
    private func abandonCopy(_ connection: OpaquePointer) {
        if PQputCopyEnd(connection, "not fed by cadang") < 0 { return }
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(connection, &buffer, 0) > 0 { PQfreemem(buffer) }
        while let result = PQgetResult(connection) { PQclear(result) }
    }
}

/// Calls `body` with a NULL-terminated array of C strings, valid only inside `body`.
func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
