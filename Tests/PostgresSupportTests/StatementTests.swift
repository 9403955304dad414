import PostgresSupport
import XCTest

/// Parameters go in as data, never as SQL, and every type comes back as it went in.
final class StatementTests: PostgresTestCase {
    func testAwkwardTextRoundTripsAndStaysData() throws {
        try connection.run("CREATE TABLE x (id integer PRIMARY KEY, note text)")
        let values = ["'); DROP TABLE x; --", "it's \"quoted\"", "back\\slash \\x00 \\N", "tab\tnew\nline\r", "ünïcødé ✓ 🧾", "", "$1"]
        for (index, value) in values.enumerated() {
            try connection.execute("INSERT INTO x (id, note) VALUES ($1, $2)", [.integer(Int64(index)), .text(value)])
        }
        let result = try connection.execute("SELECT note FROM x ORDER BY id")
        XCTAssertEqual((0..<result.rowCount).map { result.string($0, 0) }, values)
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM x").int64(0, 0), Int64(values.count), "table x survived")
    }

    func testNumbersAndBooleansRoundTrip() throws {
        for value: Int64 in [0, -1, 42, .max, .min] {
            XCTAssertEqual(try connection.execute("SELECT $1::int8", [.integer(value)]).int64(0, 0), value)
        }
        for value in [0.1, -2.5e-300, 1e300, .infinity, -.infinity, .pi] {
            XCTAssertEqual(try connection.execute("SELECT $1::float8", [.double(value)]).double(0, 0), value)
        }
        XCTAssertEqual(try connection.execute("SELECT $1::float8", [.double(.nan)]).double(0, 0)?.isNaN, true)
        XCTAssertEqual(try connection.execute("SELECT $1::bool, $2::bool", [.boolean(true), .boolean(false)]).bool(0, 0), true)
        XCTAssertEqual(try connection.execute("SELECT $1::bool", [.boolean(false)]).bool(0, 0), false)
    }

    func testByteaRoundTripsInBothOutputFormats() throws {
        let all = (0...255).map { UInt8($0) }
        for format in ["hex", "escape"] {
            try connection.run("SET bytea_output = \(format)")
            XCTAssertEqual(try connection.execute("SELECT $1::bytea", [.bytes(all)]).bytes(0, 0), all, format)
            XCTAssertEqual(try connection.execute("SELECT $1", [.bytes([])]).bytes(0, 0), [], format)
        }
        // Hex text given as text stays text: only `.bytes` is bytea.
        XCTAssertEqual(try connection.execute("SELECT $1::text", [.text("\\x41")]).bytes(0, 0), Array("\\x41".utf8))
    }

    func testNullsGoInAndComeOut() throws {
        let result = try connection.execute("SELECT $1::text, $2::int8, $3::bytea, 'x'", [nil, nil, nil])
        for column in 0..<3 { XCTAssertTrue(result.isNull(0, column)) }
        XCTAssertFalse(result.isNull(0, 3))
        XCTAssertNil(result.string(0, 0))
        XCTAssertNil(try result.int64(0, 1))
        XCTAssertNil(try result.bytes(0, 2))
        XCTAssertEqual(try connection.execute("SELECT ''::text").string(0, 0), "", "empty text is not NULL")
    }

    func testATextParameterWithNULIsRefusedNotCut() throws {
        let error = postgresError { try connection.execute("SELECT $1::text", [.text("before\u{0}after")]) }
        XCTAssertEqual(error?.sqlState, "22021")
    }

    func testResultShapeAndAffectedRows() throws {
        try connection.run("CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')")
        XCTAssertEqual(try connection.execute("UPDATE t SET b = $1 WHERE a >= $2", [.text("w"), .integer(2)]).affectedRows, 2)
        let result = try connection.execute("SELECT a AS \"Number\", b FROM t ORDER BY a")
        XCTAssertEqual(result.rowCount, 3)
        XCTAssertEqual(result.columnCount, 2)
        XCTAssertEqual(result.columnNames, ["Number", "b"])
        XCTAssertEqual(result.columnIndex("Number"), 0)
        XCTAssertNil(result.columnIndex("number"))
        XCTAssertEqual(try result.int64(2, 0), 3)
    }

    func testAValueOfTheWrongTypeThrows() throws {
        let result = try connection.execute("SELECT 'abc'::text AS word")
        let error = postgresError { _ = try result.int64(0, 0) }
        XCTAssertEqual(error?.sqlState, "22P02")
        XCTAssertTrue(error?.description.contains("word") ?? false, error?.description ?? "")
    }

    func testServerErrorsCarryStateMessageAndStatement() throws {
        let error = postgresError { try connection.execute("SELEC 1") }
        XCTAssertEqual(error?.sqlState, "42601")
        XCTAssertEqual(error?.message, "syntax error at or near \"SELEC\"")
        XCTAssertTrue(error?.description.contains("cannot run SELEC 1") ?? false, error?.description ?? "")
        XCTAssertEqual(try connection.execute("SELECT 1").int64(0, 0), 1, "the connection is still usable")
    }

    func testCreateRolePasswordsAreMaskedInMessages() throws {
        try connection.run("CREATE ROLE masked_role")
        let error = postgresError { try connection.run("CREATE ROLE masked_role PASSWORD 'hunter2secret'") }
        XCTAssertEqual(error?.sqlState, "42710")
        XCTAssertFalse(error?.description.contains("hunter2secret") ?? true, error?.description ?? "")
        try connection.run("DROP ROLE masked_role")
    }
}
