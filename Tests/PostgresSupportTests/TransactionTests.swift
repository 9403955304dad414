import PostgresSupport
import XCTest

/// BEGIN/COMMIT around a closure, and nothing kept when it throws.
final class TransactionTests: PostgresTestCase {
    private struct Stop: Error {}

    private func count() throws -> Int64? {
        try connection.execute("SELECT count(*) FROM t").int64(0, 0)
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try connection.run("CREATE TABLE t (a int UNIQUE)")
    }

    func testCommitsWhatTheBodyDid() throws {
        let value = try connection.transaction {
            try connection.execute("INSERT INTO t VALUES (1), (2)")
            return "done"
        }
        XCTAssertEqual(value, "done")
        XCTAssertEqual(try count(), 2)
        XCTAssertFalse(connection.isInTransaction)
    }

    func testRollsBackWhenTheBodyThrows() throws {
        XCTAssertThrowsError(try connection.transaction {
            try connection.execute("INSERT INTO t VALUES (1)")
            XCTAssertTrue(connection.isInTransaction)
            throw Stop()
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(try count(), 0)
        XCTAssertFalse(connection.isInTransaction)
    }

    func testAFailedStatementTheBodyCaughtStillFailsTheCommit() throws {
        let error = postgresError {
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                _ = try? connection.execute("INSERT INTO t VALUES (1)")
            }
        }
        XCTAssertEqual(error?.sqlState, "40000")
        XCTAssertEqual(try count(), 0)
    }

    func testANestedCallJoinsTheOuterTransaction() throws {
        XCTAssertThrowsError(try connection.transaction {
            try connection.transaction { try connection.execute("INSERT INTO t VALUES (1)") }
            throw Stop()
        })
        XCTAssertEqual(try count(), 0)
    }
}
