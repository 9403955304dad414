import CadangCore
import PostgresSupport
import POSTestSupport
import XCTest
@testable import POSOrderSource

/// A PostgreSQL store used with the README's two roles: ingest works with `cadang_ingest`, cleanup
/// is refused for it with one clear line, and `cadang_manager` may do both.
final class OrderStoreRoleTests: XCTestCase {
    func testIngestRoleAddsButCannotCleanUpAndManagerCan() throws {
        let database = try TestPostgres.makeDatabase("roles")
        defer { try? database.drop() }
        let ingest = try TestPostgres.makeRole("ingest", password: nil, in: database)
        let manager = try TestPostgres.makeRole("manager", password: nil, in: database)
        defer {
            if let connection = try? PostgresConnection(database.conninfo) {
                try? connection.run("DROP OWNED BY \(ingest.name), \(manager.name)")
                connection.close()
            }
            if let server = try? PostgresConnection(try TestPostgres.serverConninfo()) {
                try? database.drop()
                try? server.run("DROP ROLE IF EXISTS \(ingest.name); DROP ROLE IF EXISTS \(manager.name)")
                server.close()
            }
        }
        // The owner creates the store and gives the grants cadang prints.
        let owner = try OrderStore(.postgres(conninfo: database.conninfo, schema: "cadang"))
        _ = owner
        let admin = try PostgresConnection(database.conninfo)
        for statement in StoreGrants.statements(schema: "cadang", ingest: ingest.name, manager: manager.name) {
            try admin.run(statement)
        }
        admin.close()

        let asIngest = try OrderStore(.postgres(conninfo: ingest.conninfo, schema: "cadang"))
        let old = OrderStore.timestamp(Date().addingTimeInterval(-40 * 86_400))
        XCTAssertEqual(try asIngest.ingest([try OrderStoreContract.order(uuid: "r-1", date: old)], origins: [], actor: "test"), [.stored])
        XCTAssertEqual(try asIngest.ingest([try OrderStoreContract.order(uuid: "r-1", total: 20, date: old)], origins: [], actor: "test"),
                       [.newVersion], "a new version rewrites the version columns")
        _ = try asIngest.ingest([], origins: [], actor: "test", file: FileStamp(path: "/a", size: 1, modifiedNanoseconds: 1, inode: 1))
        _ = try asIngest.ingest([], origins: [], actor: "test", file: FileStamp(path: "/a", size: 2, modifiedNanoseconds: 1, inode: 1))

        let rule = try CleanupRule(olderThan: 30 * 86_400, states: nil, includeMissing: true)
        let asManager = try OrderStore(.postgres(conninfo: manager.conninfo, schema: "cadang"))
        try asManager.database.execute("UPDATE orders SET state = 'verified' WHERE key = 'r-1'", [])
        let plan = try asIngest.cleanupPlan(rule)
        XCTAssertEqual(plan.remove.map(\.key), ["r-1"])
        XCTAssertThrowsError(try asIngest.cleanup(plan.remove, rule: rule, actor: "test")) { error in
            let message = "\(error)"
            XCTAssertEqual((error as? CadangError)?.status, .failure, message)
            XCTAssertTrue(message.contains("permission denied"), message)
            XCTAssertFalse(message.contains("\n"), "one line: \(message)")
        }
        XCTAssertThrowsError(try asIngest.database.execute("UPDATE orders SET state = 'imported' WHERE key = 'r-1'", []),
                             "the ingest role never changes a state")
        XCTAssertEqual(try asManager.cleanup(plan.remove, rule: rule, actor: "test").map(\.key), ["r-1"])
    }
}
