import CadangCore
import PostgresSupport

/// Finds orders by reading Odoo's PostgreSQL (`odoo.postgres`) directly: one `SELECT` on
/// `pos_order` per chunk of up to `chunkSize` lookups, the rows of all chunks matched together by
/// `OrderMatching.match`, exactly as `OdooRPCOrderFinder` does.
///
/// Why big chunks: Odoo 18 indexes `pos_reference` but not `uuid` nor `access_token`, so every
/// query is one sequential scan of `pos_order` whatever its size. PostgreSQL 14+ hashes a large
/// constant `= ANY(array)`, so a chunk of 100,000 lookups costs about what a chunk of 1,000 does
/// (one scan), and 100,000 orders against 1,000,000 rows is one scan instead of a hundred. Arrays
/// rather than a temporary table, because a read-only role often lacks TEMP on Odoo's database:
/// SELECT on `pos_order` is all this needs.
public struct OdooSQLOrderFinder: OdooOrderFinding {
    /// Lookups per query by default: 100,000 is ~15 MB of parameters and one scan.
    public static let defaultChunk = 100_000
    /// The fewest lookups per query: the finders' contract is at most one query per 1,000.
    public static let minimumChunk = 1_000
    /// Below PostgreSQL 14 `= ANY(array)` is a linear search per row, so chunks stay at 1,000
    /// (what Odoo's own `IN` lists cost there).
    static let hashedArrayVersion = 140_000

    let connection: PostgresConnection
    let chunkSize: Int
    private let counter = QueryCounter()

    /// A finder on an open connection to Odoo's database; `chunkSize` is at least 1,000.
    public init(connection: PostgresConnection, chunkSize: Int = OdooSQLOrderFinder.defaultChunk) {
        self.connection = connection
        self.chunkSize = max(chunkSize, OdooSQLOrderFinder.minimumChunk)
    }

    /// A finder that connects with `conninfo` (the `odoo.postgres` setting); throws one CadangError.
    public init(conninfo: String, chunkSize: Int = OdooSQLOrderFinder.defaultChunk) throws(CadangError) {
        let target = conninfo.isEmpty ? "PostgreSQL (from the PG* environment)" : PostgresConnectionString.redacted(conninfo)
        do {
            self.init(connection: try PostgresConnection(conninfo, applicationName: "cadang-verify"), chunkSize: chunkSize)
        } catch let error as PostgresError {
            throw OdooSQLOrderFinder.cadangError(error, target: target, reading: false)
        } catch {
            throw CadangError(.failure, "cannot connect to Odoo's database \"\(target)\": \(error)",
                              fix: "check odoo.postgres")
        }
    }

    /// How many queries this finder has sent (the tests hold it to the one-per-1,000 contract).
    public var queryCount: Int { counter.value }

    /// The matches; throws one CadangError (exit 1) when the database cannot be read.
    public func find(_ lookups: [OrderLookup]) throws -> [OdooOrderMatch] {
        let size = connection.serverVersion >= OdooSQLOrderFinder.hashedArrayVersion
            ? chunkSize : OdooSQLOrderFinder.minimumChunk
        return try OrderMatching.match(lookups, inRunsOf: size) { try search($0) }
    }

    /// Every row whose uuid, access_token or pos_reference is one of the chunk's; the values go
    /// as three array parameters, never into the SQL text.
    static let query = """
        SELECT id, uuid, access_token, pos_reference, session_id, state FROM pos_order
        WHERE uuid = ANY($1::text[]) OR access_token = ANY($2::text[]) OR pos_reference = ANY($3::text[])
        """

    /// One query for one chunk.
    func search(_ chunk: ArraySlice<OrderLookup>) throws(CadangError) -> [OdooOrderRow] {
        let keys = OrderLookup.identities(of: chunk)
        if keys.uuids.isEmpty && keys.tokens.isEmpty && keys.references.isEmpty { return [] }
        counter.value += 1
        do {
            let result = try connection.execute(OdooSQLOrderFinder.query, [keys.uuids, keys.tokens, keys.references]
                .map { .text(OdooSQLOrderFinder.arrayLiteral($0)) })
            return try (0..<result.rowCount).map { row in
                guard let id = try result.int64(row, 0) else {
                    throw PostgresError(sqlState: "22004", message: "a pos_order row without an id", action: "read pos_order")
                }
                return OdooOrderRow(id: Int(id), uuid: result.string(row, 1), accessToken: result.string(row, 2),
                                    posReference: result.string(row, 3), sessionID: try result.int64(row, 4).map { Int($0) },
                                    state: result.string(row, 5))
            }
        } catch let error as PostgresError {
            throw OdooSQLOrderFinder.cadangError(error, target: connection.target, reading: true, role: role)
        } catch {
            throw CadangError(.failure, "cannot read pos_order in Odoo's database \"\(connection.target)\": \(error)",
                              fix: "check odoo.postgres and the PostgreSQL server's log")
        }
    }

    /// A `text[]` input literal: every element double-quoted with `"` and `\` backslashed, so no
    /// payload text (commas, braces, `NULL`, spaces) can change what the array holds.
    static func arrayLiteral(_ values: [String]) -> String {
        var text = "{"
        text.reserveCapacity(values.reduce(2) { $0 + $1.utf8.count + 3 })
        for (index, value) in values.enumerated() {
            if index > 0 { text.append(",") }
            text.append("\"")
            for character in value {
                if character == "\"" || character == "\\" { text.append("\\") }
                text.append(character)
            }
            text.append("\"")
        }
        text.append("}")
        return text
    }

    /// The role the connection string names, for the GRANT in a fix (nil when it names none).
    var role: String? {
        (try? PostgresConnectionString.parse(connection.target))?.last { $0.keyword == "user" }?.value
    }
}

extension OdooSQLOrderFinder {
    /// A PostgreSQL failure as one line with its fix, always exit 1: verify cannot go on without
    /// Odoo's rows, and retrying later (exit 75) does not cure a wrong `odoo.postgres`.
    static func cadangError(_ error: PostgresError, target: String, reading: Bool, role: String? = nil) -> CadangError {
        let what = reading ? "cannot read pos_order in Odoo's database \"\(target)\"" : "cannot connect to Odoo's database \"\(target)\""
        var message = "\(what): \(error.message)"
        if let state = error.sqlState { message += " (SQLSTATE \(state))" }
        let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        return CadangError(.failure, line, fix: fix(for: error, role: role))
    }

    static func fix(for error: PostgresError, role: String?) -> String {
        if error.isConnectionFailure {
            return "check odoo.postgres, the libpq connection string to Odoo's database, and that its PostgreSQL server is running"
        }
        switch error.sqlState {
        case "28P01", "28000":
            return "check the user in odoo.postgres and its password, which belongs in ~/.pgpass or PGPASSWORD rather than in the config"
        case "3D000", "42P01":
            return "check dbname in odoo.postgres: it must name Odoo's database, the one holding pos_order"
        case "42501":
            let grantee = role.map { "\"\($0)\"" } ?? "the role of odoo.postgres"
            return "as the owner of Odoo's database, run: GRANT SELECT ON pos_order TO \(grantee)"
        case "42703":
            return "this pos_order lacks a column cadang reads, uuid, access_token or pos_reference: point odoo.postgres at an Odoo 18 database"
        default:
            return "check odoo.postgres and the PostgreSQL server's log"
        }
    }
}

/// The finder's query count: a reference, so the struct's `find` can count without `mutating`.
private final class QueryCounter {
    var value = 0
}
