import PostgresSupport
import XCTest

/// Cursor reads: every row once, in batches no larger than asked.
final class BatchTests: PostgresTestCase {
    func testReadsAHundredThousandRowsInBatches() throws {
        var batches = 0, rows = 0, sum: Int64 = 0
        try connection.forEachBatch("SELECT n, repeat('x', 20) FROM generate_series(1, $1::int) AS n", [.integer(100_000)],
                                    batchSize: 1_000) { batch in
            XCTAssertLessThanOrEqual(batch.rowCount, 1_000)
            for row in 0..<batch.rowCount { sum += try batch.int64(row, 0) ?? 0 }
            batches += 1
            rows += batch.rowCount
        }
        XCTAssertEqual(rows, 100_000)
        XCTAssertEqual(batches, 100)
        XCTAssertEqual(sum, 100_000 * 100_001 / 2)
        XCTAssertFalse(connection.isInTransaction, "the transaction it opened is over")
    }

    func testAnEmptyQueryCallsNothingAndATrailingSemicolonIsFine() throws {
        var calls = 0
        try connection.forEachBatch("SELECT 1 WHERE false;") { _ in calls += 1 }
        XCTAssertEqual(calls, 0)
    }

    func testInsideATransactionItLeavesTheTransactionOpenAndTheBodyMayQuery() throws {
        try connection.run("CREATE TABLE seen (n int)")
        try connection.transaction {
            try connection.forEachBatch("SELECT n FROM generate_series(1, 10) AS n", batchSize: 3) { batch in
                for row in 0..<batch.rowCount {
                    try connection.execute("INSERT INTO seen VALUES ($1)", [.integer(try batch.int64(row, 0) ?? 0)])
                }
            }
            XCTAssertTrue(connection.isInTransaction)
        }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM seen").int64(0, 0), 10)
    }

    func testAThrowingBodyEndsTheCursorAndTheConnectionStaysUsable() throws {
        struct Stop: Error {}
        XCTAssertThrowsError(try connection.forEachBatch("SELECT generate_series(1, 100)", batchSize: 10) { _ in throw Stop() })
        XCTAssertFalse(connection.isInTransaction)
        XCTAssertEqual(try connection.execute("SELECT 1").int64(0, 0), 1)
    }
}
