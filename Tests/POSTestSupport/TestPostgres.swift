import Foundation
import PostgresSupport

/// The throwaway PostgreSQL server `Scripts/test` starts, and databases and roles made in it for
/// one test each.
public enum TestPostgres {
    /// The superuser connection string `Scripts/test` exports; missing means the tests were not
    /// run through it, which must fail the tests rather than skip them.
    public static func serverConninfo() throws -> String {
        guard let conninfo = ProcessInfo.processInfo.environment["CADANG_TEST_POSTGRES"], !conninfo.isEmpty else {
            throw TestPostgresError(
                "CADANG_TEST_POSTGRES is not set: run the tests through Scripts/test, which starts a throwaway PostgreSQL")
        }
        return conninfo
    }

    /// A new, empty database named `prefix` plus a unique suffix.
    public static func makeDatabase(_ prefix: String) throws -> TestDatabase {
        let server = try serverConninfo()
        let name = uniqueName(prefix)
        let connection = try PostgresConnection(server)
        defer { connection.close() }
        try connection.run("CREATE DATABASE \(quoted(name))")
        return TestDatabase(name: name, conninfo: try conninfo(server, setting: ["dbname": name]), server: server)
    }

    /// A new login role (named `name` plus a unique suffix) that may connect to `database` and
    /// has no other right; its connection string carries no password.
    public static func makeRole(_ name: String, password: String?, in database: TestDatabase) throws -> TestRole {
        let role = uniqueName(name)
        let connection = try PostgresConnection(database.server)
        defer { connection.close() }
        let passwordClause = password.map { " PASSWORD '\($0.replacingOccurrences(of: "'", with: "''"))'" } ?? ""
        try connection.run("CREATE ROLE \(quoted(role)) LOGIN\(passwordClause); GRANT CONNECT ON DATABASE \(quoted(database.name)) TO \(quoted(role))")
        return TestRole(name: role, conninfo: try conninfo(database.conninfo, setting: ["user": role]))
    }

    /// Makes the server ask `role` for its password on the Unix socket. The server trusts every
    /// socket login otherwise; one `pg_hba.conf` line ahead of the rest changes that for this
    /// role only, so other tests sharing the server are untouched.
    public static func requirePassword(for role: TestRole) throws {
        let connection = try PostgresConnection(try serverConninfo())
        defer { connection.close() }
        guard let path = try connection.execute("SHOW hba_file").string(0, 0) else {
            throw TestPostgresError("the server did not say where its pg_hba.conf is")
        }
        let rules: String
        do {
            rules = try String(contentsOfFile: path, encoding: .utf8)
            // Not atomic: the file keeps its inode and owner, so the server can still read it.
            try Data(("local all \(quoted(role.name)) scram-sha-256\n" + rules).utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw TestPostgresError("cannot edit \(path) (run the tests as its owner or root): \(error)")
        }
        try connection.execute("SELECT pg_reload_conf()")
        // The reload is asynchronous: wait until a login without a password is refused.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            do {
                let probe = try PostgresConnection(role.conninfo)
                probe.close()
                usleep(50_000)
            } catch {
                return
            }
        }
        throw TestPostgresError("the server still lets \(role.name) in without a password after reloading \(path)")
    }

    /// `conninfo` (either form) as `key=value` pairs with `settings` replacing or adding keywords.
    public static func conninfo(_ conninfo: String, setting settings: [String: String]) throws -> String {
        var pairs = try PostgresConnectionString.parse(conninfo).filter { settings[$0.keyword] == nil }
        pairs += settings.sorted { $0.key < $1.key }.map { (keyword: $0.key, value: $0.value) }
        return PostgresConnectionString.format(pairs)
    }

    /// A name no other test or run uses: PostgreSQL folds case, so lowercase only.
    private static func uniqueName(_ prefix: String) -> String {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return "\(prefix.lowercased())_\(suffix)"
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
