import PostgresSupport

/// A database made for one test in the throwaway server.
public struct TestDatabase: Sendable {
    /// The database's name.
    public let name: String
    /// A superuser connection string for it.
    public let conninfo: String
    /// The server's superuser connection string.
    public let server: String

    /// Drops the database, disconnecting anyone still in it.
    public func drop() throws {
        let connection = try PostgresConnection(server)
        defer { connection.close() }
        try connection.run("DROP DATABASE IF EXISTS \(TestPostgres.quoted(name)) WITH (FORCE)")
    }
}
