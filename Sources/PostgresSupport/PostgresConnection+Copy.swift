import CPostgres

extension PostgresConnection {
    /// Runs `sql` (`COPY table (columns) FROM STDIN`), lets `fill` write the rows, and returns how
    /// many the server stored. When `fill` throws, the COPY is aborted, so the server keeps none
    /// of its rows, and the error is rethrown.
    @discardableResult
    public func copyIn(_ sql: String, _ fill: (inout PostgresCopyWriter) throws -> Void) throws -> Int {
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
        var writer = PostgresCopyWriter(connection: connection, action: action)
        do {
            try fill(&writer)
            try writer.flush()
        } catch {
            // A message makes PQputCopyEnd abort: the server fails the COPY and keeps nothing.
            let reason = "cadang aborted the copy: " + PostgresError.oneLine(String(describing: error))
            _ = PQputCopyEnd(connection, String(reason.prefix(1000)))
            while let result = PQgetResult(connection) { PQclear(result) }
            throw error
        }
        guard PQputCopyEnd(connection, nil) == 1 else {
            throw PostgresError.from(result: nil, connection: connection, action: action)
        }
        // The COPY's own result, then the NULL that ends the command.
        let final = PQgetResult(connection)
        while let extra = PQgetResult(connection) { PQclear(extra) }
        return try check(final, connection: connection, action: action).affectedRows
    }
}
