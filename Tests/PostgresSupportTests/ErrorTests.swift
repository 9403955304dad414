import CadangCore
import POSTestSupport
import PostgresSupport
import XCTest

/// Failures a user can act on: each gets its SQLSTATE's fix, and no message holds a password.
final class ErrorTests: PostgresTestCase {
    private let connectionFix = "is the PostgreSQL server running and is the connection string right?"
    private let passwordFix = "set the password in ~/.pgpass or PGPASSWORD, never on the command line"

    func testNoServerGivesTheConnectionFix() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let error = postgresError { _ = try PostgresConnection("host=\(empty.path) dbname=x user=y password=topsecret") }
        XCTAssertEqual(error?.sqlState, "08001")
        XCTAssertEqual(error?.cadangError.fix, connectionFix)
        XCTAssertEqual(error?.cadangError.status, .unavailable)
        XCTAssertTrue(error?.description.contains(empty.path) ?? false, error?.description ?? "")
        XCTAssertFalse(error?.cadangError.description.contains("topsecret") ?? true, error?.description ?? "")
    }

    func testAMissingDatabaseSaysSo() throws {
        let conninfo = try TestPostgres.conninfo(database.conninfo, setting: ["dbname": "no_such_database"])
        let error = postgresError { _ = try PostgresConnection(conninfo) }
        XCTAssertEqual(error?.sqlState, "3D000")
        XCTAssertTrue(error?.cadangError.fix?.contains("does not exist") ?? false)
        XCTAssertTrue(error?.message.contains("no_such_database") ?? false, error?.message ?? "")
    }

    func testPermissionDeniedNamesTheTableAndSaysGrant() throws {
        try connection.run("CREATE TABLE secrets (a int)")
        let role = try TestPostgres.makeRole("reader", password: nil, in: database)
        let reader = try PostgresConnection(role.conninfo)
        defer { reader.close() }
        let error = postgresError { try reader.execute("SELECT a FROM secrets") }
        XCTAssertEqual(error?.sqlState, "42501")
        XCTAssertEqual(error?.message, "permission denied for table secrets")
        XCTAssertEqual(error?.cadangError.fix, "grant the role the right it lacks")
        XCTAssertTrue(error?.cadangError.description.contains("secrets") ?? false)
    }

    /// The throwaway server trusts socket logins; `requirePassword` makes it ask this role only,
    /// so the password path is a real SCRAM exchange with a real server.
    func testPasswordsFromAPassfileWorkAndWrongOnesNeverShow() throws {
        let password = "right-horse-battery"
        let role = try TestPostgres.makeRole("pw", password: password, in: database)
        try TestPostgres.requirePassword(for: role)

        let noPassword = postgresError { _ = try PostgresConnection(role.conninfo) }
        XCTAssertEqual(noPassword?.sqlState, "28P01", noPassword?.description ?? "")
        XCTAssertEqual(noPassword?.cadangError.fix, passwordFix)

        let wrong = "wrong-staple-9876"
        let withWrong = try TestPostgres.conninfo(role.conninfo, setting: ["password": wrong])
        let bad = postgresError { _ = try PostgresConnection(withWrong) }
        XCTAssertEqual(bad?.sqlState, "28P01")
        XCTAssertTrue(bad?.message.contains("password authentication failed") ?? false, bad?.message ?? "")
        for text in [bad?.description, bad?.cadangError.description, bad?.action] {
            XCTAssertFalse(text?.contains(wrong) ?? true, text ?? "")
            XCTAssertFalse(text?.contains(password) ?? true, text ?? "")
        }

        let passfile = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: passfile) }
        let saved = ProcessInfo.processInfo.environment["PGPASSFILE"]
        defer { if let saved { setenv("PGPASSFILE", saved, 1) } else { unsetenv("PGPASSFILE") } }
        setenv("PGPASSFILE", passfile.path, 1)

        try Data("*:*:*:\(role.name):\(password)\n".utf8).write(to: passfile)
        XCTAssertEqual(chmod(passfile.path, 0o600), 0)
        let viaPassfile = try PostgresConnection(role.conninfo)
        XCTAssertEqual(try viaPassfile.execute("SELECT current_user").string(0, 0), role.name)
        viaPassfile.close()

        try Data("*:*:*:\(role.name):\(wrong)\n".utf8).write(to: passfile)
        let badPassfile = postgresError { _ = try PostgresConnection(role.conninfo) }
        XCTAssertEqual(badPassfile?.sqlState, "28P01")
        XCTAssertFalse(badPassfile?.cadangError.description.contains(wrong) ?? true)
    }

    func testAMalformedURIWithAPasswordDoesNotEchoIt() throws {
        for uri in ["postgresql://user:hunter2secret@[::1/db", "postgresql://user:hunter2secret@host/db?bogus",
                    "postgresql://user:hunter2%40secret@host:notaport/db"] {
            let error = postgresError { _ = try PostgresConnection(uri) }
            for secret in ["hunter2secret", "hunter2%40secret", "hunter2@secret"] {
                XCTAssertFalse(error?.cadangError.description.contains(secret) ?? true, error?.description ?? "")
            }
        }
        let spaced = postgresError { _ = try PostgresConnection("host=/nowhere password=open sesame99 dbname=x") }
        XCTAssertFalse(spaced?.description.contains("sesame99") ?? true, spaced?.description ?? "")
    }
}
