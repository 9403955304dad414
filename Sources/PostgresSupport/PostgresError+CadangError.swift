import CadangCore

extension PostgresError {
    /// Whether this is a failure to reach the server or losing it, rather than a refused statement.
    public var isConnectionFailure: Bool {
        guard let sqlState else { return false }
        // 57P01–57P03: the server shutting down or still starting, which a retry later cures too.
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// This error as a `CadangError`, with the fix its SQLSTATE class calls for; the server's own
    /// message is kept, since it names the table, role or database involved.
    public var cadangError: CadangError {
        if isConnectionFailure {
            return CadangError(.unavailable, description, fix: "is the PostgreSQL server running and is the connection string right?")
        }
        switch sqlState {
        case "28P01", "28000":
            return CadangError(.failure, description, fix: "set the password in ~/.pgpass or PGPASSWORD, never on the command line")
        case "3D000":
            return CadangError(.failure, description,
                               fix: "the database does not exist: check dbname in the connection string, or create the database")
        case "42501":
            return CadangError(.failure, description, fix: "grant the role the right it lacks")
        default:
            return CadangError(.failure, description)
        }
    }
}
