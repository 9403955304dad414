import CadangCore
import POSOrderSource
import POSTestSupport
import XCTest

/// `common.login` over real HTTP: a good key, a bad one, a database the server does not have.
final class OdooLoginTests: XCTestCase {
    func testLoginReturnsTheUID() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        XCTAssertEqual(try OdooTest.client(standIn).login(), 2)
        XCTAssertEqual(try OdooTest.client(standIn, .reader).login(), 3)
    }

    func testBadKeyIsLoginRefusedWithTheFixAndWithoutTheKey() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let client = OdooClient(url: standIn.url, database: standIn.databaseName, user: "cadang@toko.id",
                                apiKey: "wrong-secret-key")
        let error = OdooTest.error { try client.login() }
        XCTAssertEqual(error, .loginRefused(url: standIn.url.absoluteString, database: standIn.databaseName,
                                            user: "cadang@toko.id"))
        let cadang = try XCTUnwrap(error?.cadangError)
        XCTAssertEqual(cadang.status, .failure)
        XCTAssertTrue(cadang.description.contains(standIn.url.absoluteString))
        XCTAssertTrue(cadang.description.contains("Preferences → Account Security"))
        XCTAssertFalse(cadang.description.contains("wrong-secret-key"))
        XCTAssertFalse(cadang.description.contains("\n"))
    }

    func testUnknownDatabaseFailsLogin() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let client = OdooClient(url: standIn.url, database: "no_such_db", user: "cadang@toko.id", apiKey: "key-cashier-2")
        let error = OdooTest.error { try client.login() }
        XCTAssertEqual(error, .unknownDatabase(url: standIn.url.absoluteString, database: "no_such_db"))
        XCTAssertTrue(error?.description.contains("odoo.database") ?? false)
    }

    func testAKeyRevokedAfterLoginIsAccessDenied() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let client = OdooTest.client(standIn)
        try client.login()
        // Same uid, another key: Odoo checks the key on every execute_kw.
        let impostor = OdooClient(url: standIn.url, database: standIn.databaseName, user: "cadang@toko.id", apiKey: "old")
        let error = OdooTest.error {
            _ = try impostor.call(service: "object", method: "execute_kw",
                                  args: [standIn.databaseName, 2, "old", "pos.order", "search_count", [[]]])
        }
        XCTAssertEqual(error?.serverKind, .accessDenied)
    }
}
