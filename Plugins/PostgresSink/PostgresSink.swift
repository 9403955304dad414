import CadangCore
import Foundation
import PostgresSupport

/// `postgres`: each table of a set into a PostgreSQL schema, in one transaction per set that is
/// committed with the set and rolled back when the run fails.
///
/// Layout: one table per dataset, named as the dataset (quoted, so any name is safe), with the
/// columns `source text`, `set_id text`, `set_time timestamptz`, `row_number bigint` (1, 2, … in
/// the order the rows were sent) and then the dataset's columns for programs, typed from their
/// kinds (integer → bigint, real → double precision, blob → bytea, text or unknown → text).
/// `<schema>.cadang_loads (source, set_id, dataset, rows, loaded_at)` records every load in the
/// same transaction: a set whose (source, set_id) is there already is not loaded again.
///
/// Values: NULL stays NULL; text is repaired to valid UTF-8 (U+FFFD, with a warning) and a NUL
/// character, which PostgreSQL text cannot hold, is stored as U+FFFD (with a warning); in a text
/// column an integer is stored in decimal, a real in shortest round-trip form (`44000.0`,
/// `-0.0`, `1e-300`), a blob as base64 (with a warning); a cell that does not fit a typed column
/// (text in a bigint column, a fractional real in a bigint column, …) is stored as NULL and
/// reported as skipped (the run exits 3), since the set's other exports still hold it.
///
/// Each table's artifact in the set is a receipt, one JSON line: `{"rows":N,"schema":…,
/// "source":…,"table":…}`; the rows are in the table `WHERE source = … AND set_id = <the set's id>`.
public final class PostgresSink: TransactionalSink, @unchecked Sendable {
    /// Name, summary and options: `cadang plugins`, `cadang config check` and Docs/configuration.md come from here.
    public static let descriptor = PluginDescriptor(
        kind: .sink, name: "postgres",
        summary: "Loads each table of a set into a PostgreSQL schema with COPY, in one transaction committed with the set.",
        options: [
            OptionSpec("postgres", .string,
                       doc: "The database: a libpq connection string (URI or key=value), the password from PGPASSWORD or ~/.pgpass (mode 0600), never in the config. Default: everything from the PG* environment."),
            OptionSpec("schema", .string, default: .string("cadang"),
                       doc: "The schema the tables and the cadang_loads ledger are in (created if missing); lowercase letters, digits and underscores."),
            OptionSpec("source", .string, required: true,
                       doc: "The shop's name, written into every row's source column: each shop loading into one database needs its own."),
        ])

    /// The application name `pg_stat_activity` shows for the sink's connections.
    public static let applicationName = "cadang postgres sink"
    /// The ledger table in the schema.
    static let ledgerTable = "cadang_loads"

    /// Rules the option types cannot state: a plain schema name, a shop name, no password in the config.
    public static func check(_ options: PluginOptions) -> [OptionProblem] {
        var problems: [OptionProblem] = []
        if let schema = options.string("schema"), !PostgresIdentifier.isPlain(schema) {
            problems.append(OptionProblem(option: "schema", "'\(schema)' is not a plain name",
                                          fix: "use lowercase letters, digits and underscores, starting with a letter"))
        }
        if let source = options.string("source"), source.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(OptionProblem(option: "source", "is empty", fix: "name the shop, e.g. source: toko-pusat"))
        }
        if let conninfo = options.string("postgres") {
            // A password here would sit in the config file and in its backups; libpq reads it
            // from PGPASSWORD or ~/.pgpass when the string has none.
            if let settings = try? PostgresConnectionString.parse(conninfo) {
                if settings.contains(where: { $0.keyword == "password" }) {
                    problems.append(OptionProblem(option: "postgres", "holds a password",
                                                  fix: "remove it and put it in ~/.pgpass (mode 0600) or PGPASSWORD"))
                }
            } else {
                problems.append(OptionProblem(option: "postgres", "is not a libpq connection string",
                                              fix: "use a URI (postgresql://user@host/db) or key=value pairs (host=… dbname=…)"))
            }
        }
        return problems
    }

    /// The connection string (empty: the PG* environment).
    let conninfo: String
    /// The schema, a plain name.
    public let schema: String
    /// The shop's name in every row.
    public let source: String
    let instance: String

    private let lock = NSLock()
    private var run: PostgresSinkRun?

    /// Builds the sink from options the config loader has validated; connects only in `beginRun`,
    /// so that `cadang config check` and `cadang plugins` need no server.
    public init(configuration: PluginConfiguration) throws {
        let options = configuration.options
        conninfo = options.string("postgres") ?? ""
        schema = options.string("schema") ?? "cadang"
        guard let source = options.string("source") else {
            throw CadangError(.usage, "sink '\(configuration.name)' needs a source (the shop's name)", fix: "add source: <shop name> to the sink")
        }
        self.source = source
        instance = configuration.name
    }

    /// One receipt per table, a JSON line.
    public var fileExtension: String? { "json" }
    /// A database is read by programs: their columns, not the ones formatted for people.
    public var audience: Column.Audience { .programs }

    /// Connects, opens the set's transaction and checks the ledger for this set.
    public func beginRun(setID: String) throws {
        let run = try PostgresSinkRun(sink: self, setID: setID)
        lock.withLock {
            self.run?.rollback()
            self.run = run
        }
    }

    /// Starts one table's COPY inside the run's transaction.
    public func makeTableWriter(schema table: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        guard let run = lock.withLock({ self.run }) else {
            throw CadangError(.failure, "sink '\(instance)' (postgres) was asked for a table outside a run",
                              fix: "the postgres sink writes only in `cadang run`, whose engine calls beginRun first")
        }
        return try run.makeWriter(table, artifact: artifact, warnings: warnings)
    }

    /// Everything is written: checks that the transaction is sound, so that `commit` cannot fail
    /// on a statement's error after the set was listed.
    public func prepareCommit() throws {
        try lock.withLock { self.run }?.prepare()
    }

    /// COMMITs the set's transaction.
    public func commit() throws {
        let run = lock.withLock { () -> PostgresSinkRun? in
            defer { self.run = nil }
            return self.run
        }
        try run?.commit()
    }

    /// ROLLBACKs the set's transaction (and aborts a COPY still open).
    public func rollback() {
        let run = lock.withLock { () -> PostgresSinkRun? in
            defer { self.run = nil }
            return self.run
        }
        run?.rollback()
    }
}
