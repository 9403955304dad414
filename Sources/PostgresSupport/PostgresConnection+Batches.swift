extension PostgresConnection {
    /// Runs the query `sql` through a cursor and calls `body` with each batch of up to
    /// `batchSize` rows, so memory stays one batch however many rows there are. Opens (and
    /// ends) a transaction for the cursor unless one is open; `body` may use this connection.
    public func forEachBatch(_ sql: String, _ params: [PostgresValue?] = [], batchSize: Int = 4096,
                             _ body: (PostgresResult) throws -> Void) throws {
        precondition(batchSize > 0, "batchSize must be positive")
        cursorCount += 1
        let cursor = "cadang_cursor_\(cursorCount)"
        let ownTransaction = !isInTransaction
        if ownTransaction { try run("BEGIN") }
        do {
            // A query's own trailing semicolon would end the DECLARE early.
            let query = sql.reversed().drop { $0 == ";" || $0.isWhitespace }.reversed()
            try execute("DECLARE \(cursor) NO SCROLL CURSOR FOR \(String(query))", params)
            while true {
                let batch = try execute("FETCH FORWARD \(batchSize) FROM \(cursor)")
                if batch.rowCount > 0 { try body(batch) }
                if batch.rowCount < batchSize { break }
            }
            if ownTransaction { try run("COMMIT") } else { try run("CLOSE \(cursor)") }
        } catch {
            // The transaction it opened ends with it; in the caller's, the cursor is closed
            // when that is still possible (not after a failed statement).
            if ownTransaction { try? run("ROLLBACK") } else if !isInFailedTransaction { try? run("CLOSE \(cursor)") }
            throw error
        }
    }
}
