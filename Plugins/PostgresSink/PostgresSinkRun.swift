import CadangCore
import Foundation
import PostgresSupport

/// One run of the postgres sink: the set's open transaction on one connection, and a second,
/// autocommit connection for the schema's tables.
///
/// Tables are created (IF NOT EXISTS) on the second connection and committed at once, under an
/// advisory lock: two shops loading into one database at the same time would otherwise both
/// create the same table in their open transactions, and the later one would fail at the first
/// one's COMMIT. An empty table left by a failed run holds no rows of it, which is all that counts.
final class PostgresSinkRun: @unchecked Sendable {
    let schema: String
    let source: String
    let setID: String
    let instance: String
    /// The set's transaction; every row and ledger entry goes through it.
    let connection: PostgresConnection
    /// DDL only, each statement committed at once.
    let definitions: PostgresConnection
    /// The set's (source, set_id) is in the ledger: this run writes nothing.
    let loadedEarlier: Bool
    /// The fields every row starts with (source, set_id, set_time), encoded once for binary COPY.
    let rowPrefix: [UInt8]
    private var tables: Set<String> = []
    /// The writer whose COPY is open, if any, so that a rollback can abort it first.
    private var open: PostgresTableWriter?
    private let lock = NSLock()

    init(sink: PostgresSink, setID: String) throws {
        schema = sink.schema
        source = sink.source
        self.setID = setID
        instance = sink.instance
        rowPrefix = PostgresBinaryCopyWriter.encoded(text: source) + PostgresBinaryCopyWriter.encoded(text: setID)
            + PostgresBinaryCopyWriter.encoded(timestamp: SetID.time(of: setID) ?? Date(timeIntervalSince1970: 0))
        do {
            let definitions = try PostgresConnection(sink.conninfo, applicationName: PostgresSink.applicationName)
            self.definitions = definitions
            let quotedSchema = PostgresIdentifier.quoted(schema)
            try Self.locked(definitions, schema: sink.schema) {
                try definitions.run("CREATE SCHEMA IF NOT EXISTS \(quotedSchema)")
                try definitions.run("""
                    CREATE TABLE IF NOT EXISTS \(quotedSchema).\(PostgresIdentifier.quoted(PostgresSink.ledgerTable)) (
                        source text NOT NULL, set_id text NOT NULL, dataset text NOT NULL, rows bigint NOT NULL,
                        loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (source, set_id, dataset))
                    """)
            }
            let connection = try PostgresConnection(sink.conninfo, applicationName: PostgresSink.applicationName)
            self.connection = connection
            try connection.run("BEGIN")
            let found = try connection.execute(
                "SELECT count(*) FROM \(Self.ledger(sink.schema)) WHERE source = $1 AND set_id = $2", [.text(sink.source), .text(setID)])
            loadedEarlier = (try found.int64(0, 0) ?? 0) > 0
        } catch let error as PostgresError {
            throw Self.failure(error, instance: sink.instance)
        }
    }

    /// `"schema"."cadang_loads"`.
    static func ledger(_ schema: String) -> String {
        "\(PostgresIdentifier.quoted(schema)).\(PostgresIdentifier.quoted(PostgresSink.ledgerTable))"
    }

    /// Runs `body` holding the schema's session advisory lock (so concurrent runs take turns creating tables).
    static func locked(_ connection: PostgresConnection, schema: String, _ body: () throws -> Void) throws {
        let key: [PostgresValue?] = [.text("cadang postgres sink " + schema)]
        try connection.execute("SELECT pg_advisory_lock(hashtext($1))", key)
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(hashtext($1))", key) }
        try body()
    }

    /// A PostgreSQL error as the sink reports it: one line naming the sink, the server's words and the fix.
    static func failure(_ error: PostgresError, instance: String) -> CadangError {
        let cadang = error.cadangError
        return CadangError(cadang.status, "sink '\(instance)' (postgres): \(cadang.message)", fix: cadang.fix)
    }

    /// Creates or checks the dataset's table and starts its COPY.
    func makeWriter(_ table: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        let layout = try PostgresTableLayout(table, schema: schema, instance: instance)
        try lock.withLock {
            if tables.contains(table.name) {
                throw CadangError(.usage, "sink '\(instance)' (postgres) was sent dataset '\(table.name)' twice in one set (two sources with a dataset of that name)",
                                  fix: "give each source its own postgres sink, with its own schema")
            }
            tables.insert(table.name)
        }
        if loadedEarlier {
            warnings.warn("sink '\(instance)': set \(setID) of source '\(source)' is in \(schema).\(PostgresSink.ledgerTable) already; \(schema).\(table.name) was not loaded again")
            return PostgresTableWriter(run: self, layout: layout, artifact: artifact, warnings: warnings, copy: nil)
        }
        do {
            try Self.locked(definitions, schema: schema) {
                try definitions.run(layout.createStatement)
                try layout.check(definitions)
            }
            let copy = try connection.startBinaryCopyIn(layout.copyStatement)
            let writer = PostgresTableWriter(run: self, layout: layout, artifact: artifact, warnings: warnings, copy: copy)
            lock.withLock { open = writer }
            return writer
        } catch let error as PostgresError {
            throw Self.failure(error, instance: instance)
        }
    }

    /// Ends `writer`'s COPY and records the table in the ledger, in the set's transaction.
    func finish(_ writer: PostgresTableWriter, copy: inout PostgresBinaryCopyWriter) throws -> Int {
        do {
            let stored = try connection.finishCopyIn(&copy)
            lock.withLock { open = nil }
            try connection.execute("INSERT INTO \(Self.ledger(schema)) (source, set_id, dataset, rows) VALUES ($1, $2, $3, $4)",
                                   [.text(source), .text(setID), .text(writer.layout.table), .integer(Int64(stored))])
            return stored
        } catch let error as PostgresError {
            lock.withLock { open = nil }
            throw Self.failure(error, instance: instance)
        }
    }

    /// Fails unless the transaction is open and no statement in it failed.
    func prepare() throws {
        guard connection.isInTransaction, lock.withLock({ open == nil }) else {
            throw CadangError(.failure, "sink '\(instance)' (postgres): the set's transaction is not intact",
                              fix: "see the error before this one; the set was not loaded")
        }
    }

    /// COMMIT; a COMMIT the server turned into a ROLLBACK is a failure.
    func commit() throws {
        defer { close() }
        do {
            let result = try connection.execute("COMMIT")
            if result.commandTag == "ROLLBACK" {
                throw CadangError(.failure, "sink '\(instance)' (postgres): the server rolled the set's transaction back",
                                  fix: "see the server's log; run the job again")
            }
        } catch let error as PostgresError {
            throw Self.failure(error, instance: instance)
        }
    }

    /// Aborts an open COPY, ROLLBACKs and closes; the server rolls back anyway when the
    /// connection goes, so errors here change nothing.
    func rollback() {
        if let writer = lock.withLock({ open }) {
            writer.abort(on: connection)
            lock.withLock { open = nil }
        }
        if connection.isInTransaction { try? connection.run("ROLLBACK") }
        close()
    }

    private func close() {
        connection.close()
        definitions.close()
    }
}
