import Foundation
import POSTestSupport
import XCTest
@testable import POSOrderSource

/// The store contract on SQLite.
final class OrderStoreSQLiteTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func store() throws -> OrderStore {
        try OrderStore(.sqlite(folder.appendingPathComponent("orders.db")))
    }

    func testOfflineThenOnlineIsOneOrderWithTwoVersions() throws { try OrderStoreContract.offlineThenOnlineIsOneOrderWithTwoVersions(store()) }
    func testChangedContentIsANewVersionNotANewOrder() throws { try OrderStoreContract.changedContentIsANewVersionNotANewOrder(store()) }
    func testKeysFallBackToTokenThenReference() throws { try OrderStoreContract.keysFallBackToTokenThenReference(store()) }
    func testFilesAreRememberedByStamp() throws { try OrderStoreContract.filesAreRememberedByStamp(store()) }
    func testVerificationMovesFoundOrdersAndMarksTheRestMissing() throws { try OrderStoreContract.verificationMovesFoundOrdersAndMarksTheRestMissing(store()) }
    func testCleanupRemovesExactlyItsPlan() throws { try OrderStoreContract.cleanupRemovesExactlyItsPlan(store()) }
    func testDatasetsReadTheStoreInStableOrder() throws { try OrderStoreContract.datasetsReadTheStoreInStableOrder(store()) }
    func testBodiesGiveOneResultPerItem() throws { try OrderStoreContract.bodiesGiveOneResultPerItem(store()) }
    func testTransitionsFollowTheTable() { OrderStoreContract.transitionsFollowTheTable() }

    func testReopeningKeepsEverything() throws {
        _ = try store().ingest([try OrderStoreContract.order(uuid: "k")], origins: [], actor: "test")
        XCTAssertEqual(try OrderStoreContract.count(store(), "SELECT count(*) FROM orders"), 1)
    }

    func testFilesAre0600() throws {
        _ = try store()
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("orders.db").path)
        XCTAssertEqual(((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777) & 0o077, 0, "group/other bits")
    }
}

/// The store contract on the throwaway PostgreSQL server (fails without CADANG_TEST_POSTGRES).
final class OrderStorePostgresTests: XCTestCase {
    private var database: TestDatabase!

    override func setUpWithError() throws {
        database = try TestPostgres.makeDatabase("store")
    }

    override func tearDownWithError() throws {
        try database?.drop()
    }

    private func store(schema: String = "cadang") throws -> OrderStore {
        try OrderStore(.postgres(conninfo: database.conninfo, schema: schema))
    }

    func testOfflineThenOnlineIsOneOrderWithTwoVersions() throws { try OrderStoreContract.offlineThenOnlineIsOneOrderWithTwoVersions(store()) }
    func testChangedContentIsANewVersionNotANewOrder() throws { try OrderStoreContract.changedContentIsANewVersionNotANewOrder(store()) }
    func testKeysFallBackToTokenThenReference() throws { try OrderStoreContract.keysFallBackToTokenThenReference(store()) }
    func testFilesAreRememberedByStamp() throws { try OrderStoreContract.filesAreRememberedByStamp(store()) }
    func testVerificationMovesFoundOrdersAndMarksTheRestMissing() throws { try OrderStoreContract.verificationMovesFoundOrdersAndMarksTheRestMissing(store()) }
    func testCleanupRemovesExactlyItsPlan() throws { try OrderStoreContract.cleanupRemovesExactlyItsPlan(store()) }
    func testDatasetsReadTheStoreInStableOrder() throws { try OrderStoreContract.datasetsReadTheStoreInStableOrder(store()) }
    func testBodiesGiveOneResultPerItem() throws { try OrderStoreContract.bodiesGiveOneResultPerItem(store()) }

    func testTablesLiveInTheirSchema() throws {
        _ = try store(schema: "kasir_pos")
        let check = try OrderStore(.postgres(conninfo: database.conninfo, schema: "kasir_pos"))
        XCTAssertEqual(try OrderStoreContract.count(check, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'kasir_pos'"), 7)
        XCTAssertThrowsError(try store(schema: "Bad-Name"))
    }
}
