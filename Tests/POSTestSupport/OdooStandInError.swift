/// Why the stand-in Odoo could not be started or driven; each says what to do.
public enum OdooStandInError: Error, CustomStringConvertible {
    /// `CADANG_TEST_POSTGRES` is not set: there is no PostgreSQL to load Odoo's schema into.
    case noPostgres
    /// The stand-in exited or stayed silent before printing `listening on PORT`.
    case startFailed(String)
    /// `psql` failed on a statement.
    case sqlFailed(sql: String, error: String)
    /// The control endpoint or the call counter did not answer as expected.
    case controlFailed(String)

    public var description: String {
        switch self {
        case .noPostgres:
            return "CADANG_TEST_POSTGRES is not set (run the tests through Scripts/test, or: "
                + "d=$(mktemp -d); export CADANG_TEST_POSTGRES=$(Scripts/test-postgres start $d))"
        case .startFailed(let detail):
            return "the stand-in Odoo did not start: \(detail) (is python3-psycopg2 installed? Scripts/setup python3-psycopg2)"
        case .sqlFailed(let sql, let error):
            return "psql failed on \(sql.prefix(200)): \(error)"
        case .controlFailed(let detail):
            return "the stand-in Odoo's control endpoint failed: \(detail)"
        }
    }
}
