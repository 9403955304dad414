import POSTestSupport
import PostgresSupport
import XCTest

/// Every form of connection string libpq takes, and the environment it falls back on.
final class ConnectionTests: PostgresTestCase {
    private func currentDatabase(_ connection: PostgresConnection) throws -> String? {
        try connection.execute("SELECT current_database()").string(0, 0)
    }

    func testConnectsByKeyValue() throws {
        XCTAssertEqual(try currentDatabase(connection), database.name)
        XCTAssertGreaterThanOrEqual(connection.serverVersion, 150000)
    }

    func testConnectsByURI() throws {
        let settings = Dictionary(try PostgresConnectionString.parse(database.conninfo), uniquingKeysWith: { $1 })
        let socket = try XCTUnwrap(settings["host"]).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let uri = "postgresql://\(try XCTUnwrap(settings["user"]))@:\(settings["port"] ?? "5432")/\(database.name)?host=\(socket)"
        let viaURI = try PostgresConnection(uri)
        defer { viaURI.close() }
        XCTAssertEqual(try currentDatabase(viaURI), database.name)
    }

    func testConnectsFromThePGEnvironmentWithAnEmptyString() throws {
        let settings = Dictionary(try PostgresConnectionString.parse(database.conninfo), uniquingKeysWith: { $1 })
        let variables = ["PGHOST": settings["host"], "PGPORT": settings["port"], "PGUSER": settings["user"], "PGDATABASE": database.name]
        let saved = variables.keys.map { ($0, ProcessInfo.processInfo.environment[$0]) }
        defer { for (name, value) in saved { if let value { setenv(name, value, 1) } else { unsetenv(name) } } }
        for (name, value) in variables { setenv(name, try XCTUnwrap(value), 1) }
        let viaEnvironment = try PostgresConnection("")
        defer { viaEnvironment.close() }
        XCTAssertEqual(try currentDatabase(viaEnvironment), database.name)
    }

    func testNamesItselfUnlessTheStringDoes() throws {
        XCTAssertEqual(try connection.execute("SELECT current_setting('application_name')").string(0, 0), "cadang")
        let named = try PostgresConnection(database.conninfo + " application_name=verify")
        defer { named.close() }
        XCTAssertEqual(try named.execute("SELECT current_setting('application_name')").string(0, 0), "verify")
    }

    func testAClosedConnectionThrowsInsteadOfCrashing() throws {
        connection.close()
        let error = postgresError { try connection.execute("SELECT 1") }
        XCTAssertEqual(error?.sqlState, "08003")
        XCTAssertEqual(error?.cadangError.status, .unavailable)
    }
}
