import POSTestSupport
import PostgresSupport
import XCTest

/// A test with its own database in the throwaway server and a superuser connection to it.
class PostgresTestCase: XCTestCase {
    private(set) var database: TestDatabase!
    private(set) var connection: PostgresConnection!

    override func setUpWithError() throws {
        try super.setUpWithError()
        database = try TestPostgres.makeDatabase(String(describing: type(of: self)))
        connection = try PostgresConnection(database.conninfo)
    }

    override func tearDownWithError() throws {
        connection?.close()
        try database?.drop()
        try super.tearDownWithError()
    }

    /// The error `body` throws, as a `PostgresError`; fails the test if it throws none or another.
    func postgresError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> PostgresError? {
        do {
            try body()
            XCTFail("no error was thrown", file: file, line: line)
        } catch let error as PostgresError {
            return error
        } catch {
            XCTFail("\(error) is not a PostgresError", file: file, line: line)
        }
        return nil
    }
}
