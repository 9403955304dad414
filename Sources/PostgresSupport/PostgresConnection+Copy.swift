import CPostgres

extension PostgresConnection {
    /// Runs `sql` (`COPY table (columns) FROM STDIN`), lets `fill` write the rows, and returns how
    /// many the server stored. When `fill` throws, the COPY is aborted, so the server keeps none
    /// of its rows, and the error is rethrown.
    @discardableResult
    public func copyIn(_ sql: String, _ fill: (inout PostgresCopyWriter) throws -> Void) throws -> Int {
        var writer = try startCopyIn(sql)
        do {
            try fill(&writer)
        } catch {
            abortCopyIn(&writer, because: error)
            throw error
        }
        return try finishCopyIn(&writer)
    }

    /// Starts `sql` (`COPY … FROM STDIN`, text format) and returns the writer for its rows, for a
    /// COPY fed across several calls (a table sink's batches). End it with `finishCopyIn` or
    /// `abortCopyIn`; until then the connection accepts nothing else.
    public func startCopyIn(_ sql: String) throws -> PostgresCopyWriter {
        PostgresCopyWriter(channel: try startCopy(sql))
    }

    /// Starts `sql` (`COPY … FROM STDIN (FORMAT binary)`) and returns the writer for its rows;
    /// otherwise as `startCopyIn`.
    public func startBinaryCopyIn(_ sql: String) throws -> PostgresBinaryCopyWriter {
        PostgresBinaryCopyWriter(channel: try startCopy(sql))
    }

    /// Sends the rest of `writer`'s rows, ends the COPY and returns how many rows the server stored.
    @discardableResult
    public func finishCopyIn(_ writer: inout PostgresCopyWriter) throws -> Int {
        try finishCopy(writer.channel) { try writer.flush() }
    }

    /// Sends the rest of `writer`'s rows and the trailer, ends the COPY and returns how many rows
    /// the server stored.
    @discardableResult
    public func finishCopyIn(_ writer: inout PostgresBinaryCopyWriter) throws -> Int {
        try finishCopy(writer.channel) { try writer.finish() }
    }

    /// Aborts the COPY `writer` feeds: the server fails it and keeps none of its rows; the
    /// connection is usable again (its transaction, if any, is failed and must be rolled back).
    public func abortCopyIn(_ writer: inout PostgresCopyWriter, because error: any Error) {
        abortCopy(writer.channel, because: error)
    }

    /// Aborts the COPY `writer` feeds, as for a text-format writer.
    public func abortCopyIn(_ writer: inout PostgresBinaryCopyWriter, because error: any Error) {
        abortCopy(writer.channel, because: error)
    }

    private func startCopy(_ sql: String) throws -> PostgresCopyChannel {
        let action = "run \(PostgresStatementText.shown(sql))"
        let connection = try handle(for: action)
        guard let started = PQexec(connection, sql) else {
            throw PostgresError.from(result: nil, connection: connection, action: action)
        }
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            // Not a COPY FROM STDIN: the usual error, or the usual clean-up of a stray COPY.
            _ = try check(started, connection: connection, action: action)
            throw PostgresError(sqlState: nil, message: "not a COPY … FROM STDIN statement", action: action)
        }
        PQclear(started)
        return PostgresCopyChannel(connection: connection, action: action)
    }

    /// `sendRest`, then the end of the COPY and its result.
    private func finishCopy(_ channel: PostgresCopyChannel, sendRest: () throws -> Void) throws -> Int {
        let connection = try handle(for: channel.action)
        do {
            try sendRest()
        } catch {
            abortCopy(channel, because: error)
            throw error
        }
        guard PQputCopyEnd(connection, nil) == 1 else {
            throw PostgresError.from(result: nil, connection: connection, action: channel.action)
        }
        // The COPY's own result, then the NULL that ends the command.
        let final = PQgetResult(connection)
        while let extra = PQgetResult(connection) { PQclear(extra) }
        return try check(final, connection: connection, action: channel.action).affectedRows
    }

    private func abortCopy(_ channel: PostgresCopyChannel, because error: any Error) {
        guard let connection = try? handle(for: channel.action) else { return }
        // A message makes PQputCopyEnd abort: the server fails the COPY and keeps nothing.
        let reason = "cadang aborted the copy: " + PostgresError.oneLine(String(describing: error))
        _ = PQputCopyEnd(connection, String(reason.prefix(1000)))
        while let result = PQgetResult(connection) { PQclear(result) }
    }
}
