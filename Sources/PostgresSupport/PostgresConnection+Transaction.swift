import CPostgres

extension PostgresConnection {
    /// Runs `body` between `BEGIN` and `COMMIT`, rolling back when it throws. Inside a transaction
    /// already open, `body` simply joins it (no savepoints): its error reaches the outer call,
    /// which rolls the whole of it back.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        try run("BEGIN")
        let value: T
        do {
            value = try body()
        } catch {
            // The first error is the one to report; a failed ROLLBACK (say, the connection
            // dropped) ends the transaction anyway.
            try? run("ROLLBACK")
            throw error
        }
        let result = try execute("COMMIT")
        // COMMIT of a transaction a statement failed in succeeds, as ROLLBACK: body caught that
        // statement's error, but its work is gone, which the caller must hear about.
        if let tag = PQcmdStatus(result.handle), String(cString: tag) == "ROLLBACK" {
            throw PostgresError(sqlState: "40000", message: "the transaction was rolled back because a statement in it failed",
                                action: "commit")
        }
        return value
    }
}
