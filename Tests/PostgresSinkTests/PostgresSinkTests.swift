import CadangCore
import Foundation
import POSTestSupport
import PostgresSink
import SinkTestKit
import XCTest

/// The `postgres` sink in process, through the real engine, into a fresh database of the
/// throwaway server (`CADANG_TEST_POSTGRES`; the tests fail when it is unset).
final class PostgresSinkTests: XCTestCase {
    private var root: URL!
    private var database: TestDatabase!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-pgsink-\(UUID().uuidString)")
        database = try TestPostgres.makeDatabase("pgsink")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
        try? database?.drop()
    }

    private func options(source: String = "shop-a", conninfo: String? = nil) -> [String: OptionValue] {
        ["postgres": .string(conninfo ?? database.conninfo), "source": .string(source)]
    }

    private func sql(_ text: String) throws -> [String] { try PSQL.run(text, conninfo: database.conninfo) }

    private func count(_ table: String, source: String? = nil) throws -> Int {
        let filter = source.map { " WHERE source = \(PSQL.literal($0))" } ?? ""
        return Int(try sql("SELECT count(*) FROM cadang.\"\(table)\"\(filter)").first ?? "") ?? -1
    }

    func testPassesTheKit() {
        let kit = SinkConformance(harness: SinkHarness(root: root))
        XCTAssertEqual(kit.problems(of: PostgresSink.self, options: options(), reader: PostgresTableReader(conninfo: database.conninfo)), [])
    }

    /// Two shops into one database: each set's rows under its own source, values intact.
    func testTwoShopsKeepTheirRowsApart() throws {
        let harness = SinkHarness(root: root)
        let shopB = KitTable(schema: KitTable.mixed.schema,
                             rows: (0..<10).map { i in [.integer(Int64(1000 + i)), .text("b\(i)"), .text("s"), .real(Double(i) / 4),
                                                        .text("x"), .blob([UInt8(i)]), .null] },
                             keyColumn: 0)
        let runA = try harness.run([try harness.makeSink(PostgresSink.self, options: options(source: "toko-a"))], tables: [.mixed],
                                   batchSize: 64, in: try harness.makeRepository())
        let runB = try harness.run([try harness.makeSink(PostgresSink.self, options: options(source: "toko-b"))], tables: [shopB],
                                   batchSize: 3, in: try harness.makeRepository())
        XCTAssertEqual(try count("mixed", source: "toko-a"), 257)
        XCTAssertEqual(try count("mixed", source: "toko-b"), 10)
        XCTAssertEqual(try sql("SELECT source, set_id, dataset, rows FROM cadang.cadang_loads ORDER BY source"),
                       ["toko-a|\(runA.set.id)|mixed|257", "toko-b|\(runB.set.id)|mixed|10"])
        XCTAssertEqual(try sql("SELECT DISTINCT set_id FROM cadang.mixed WHERE source = 'toko-b'"), [runB.set.id])
        XCTAssertEqual(try sql("SELECT sum(id), sum(number::double precision) FROM cadang.mixed WHERE source = 'toko-b'"), ["10045|11.25"])
        // Each shop's reading of its own set is exactly what it sent.
        let reader = PostgresTableReader(conninfo: database.conninfo)
        for (run, table) in [(runA, KitTable.mixed), (runB, shopB)] {
            let artifact = try XCTUnwrap(run.set.manifest.artifacts.first { $0.dataset == "mixed" })
            let read = try reader.read(run.set.url(of: artifact))
            XCTAssertEqual(read.rows.count, table.rows.count)
            XCTAssertEqual(read.rows.first?.values.first, .text(table.rows[0][0] == .integer(0) ? "0" : "1000"))
        }
    }

    /// A blob in a column of no declared type (stored as text) is its standard base64, with a warning.
    func testABlobInATextColumnIsStoredAsBase64() throws {
        let blobs: [[UInt8]] = [[], [0], [0xFB, 0xFF], [1, 2, 3], Array(0...255)]
        let table = KitTable(schema: TableSchema(name: "b", columns: [Column("id", kind: .integer), Column("v")]),
                             rows: blobs.enumerated().map { [.integer(Int64($0.offset)), .blob($0.element)] }, keyColumn: 0)
        let harness = SinkHarness(root: root)
        let run = try harness.run([try harness.makeSink(PostgresSink.self, options: options())], tables: [table],
                                  batchSize: 2, in: try harness.makeRepository())
        XCTAssertEqual(try sql("SELECT '[' || coalesce(v, 'NULL') || ']' FROM cadang.b ORDER BY row_number"),
                       blobs.map { "[\(Data($0).base64EncodedString())]" })
        XCTAssertTrue(run.warnings.contains { $0.contains("5 blob(s) in text columns were stored as base64") }, "\(run.warnings)")
    }

    /// Every row carries its set's source, id and time (to the microsecond); a value of another
    /// kind than its column's is converted when it fits and NULL (with a warning) when it does not.
    func testRowsCarryTheSetAndValuesOfOtherKindsAreConverted() throws {
        let table = KitTable(schema: TableSchema(name: "k", columns: [Column("n", kind: .integer), Column("x", kind: .real), Column("t")]),
                             rows: [[.real(2.0), .integer(3), .integer(-12)], [.real(2.5), .real(0.25), .real(44000)],
                                    [.integer(.max), .integer(1 << 60), .text("a\u{0}b")]], keyColumn: nil)
        let harness = SinkHarness(root: root)
        let run = try harness.run([try harness.makeSink(PostgresSink.self, options: options())], tables: [table],
                                  batchSize: 2, in: try harness.makeRepository())
        let time = try XCTUnwrap(SetID.time(of: run.set.id))
        let micros = Int64((time.timeIntervalSince1970 * 1_000_000).rounded())
        XCTAssertEqual(try sql("""
            SELECT DISTINCT source || '|' || set_id || '|' || (extract(epoch FROM set_time) * 1000000)::bigint FROM cadang.k
            """), ["shop-a|\(run.set.id)|\(micros)"])
        XCTAssertEqual(try sql("SELECT row_number || '|' || coalesce(n::text, 'NULL') || '|' || x || '|' || t FROM cadang.k ORDER BY row_number"),
                       ["1|2|3|-12", "2|NULL|0.25|44000.0", "3|9223372036854775807|1.152921504606847e+18|a\u{FFFD}b"])
        XCTAssertTrue(run.warnings.contains { $0.contains("1 value(s) of column 'n' did not fit bigint") }, "\(run.warnings)")
        XCTAssertTrue(run.warnings.contains { $0.contains("1 NUL character(s)") }, "\(run.warnings)")
    }

    /// The same set id loaded again (what a repeated beginRun of one set would be) adds nothing, with a warning.
    func testTheSameSetIsNotLoadedTwice() throws {
        let repository = try SinkHarness(root: root).makeRepository()
        let setID = SetID.make(time: Date())
        let first = try load(setID: setID, rows: 5, into: repository)
        XCTAssertEqual(first, [])
        let second = try load(setID: setID, rows: 5, into: repository)
        XCTAssertEqual(second.count, 1)
        XCTAssertTrue(second.first?.contains("not loaded again") ?? false, "\(second)")
        XCTAssertEqual(try count("t"), 5)
        XCTAssertEqual(try sql("SELECT count(*) FROM cadang.cadang_loads"), ["1"])
    }

    /// Drives one set of one table through the sink as the engine does; returns the warnings.
    private func load(setID: String, rows: Int, into repository: Repository) throws -> [String] {
        let sink = try SinkHarness(root: root).makeSink(PostgresSink.self, options: options())
        let warnings = WarningLog()
        let staged = try repository.beginSet(job: "t", time: Date())
        try sink.beginRun(setID: setID)
        let artifact = try staged.createArtifact(path: "t.json", dataset: "t", format: "json")
        let writer = try sink.makeTableWriter(schema: TableSchema(name: "t", columns: [Column("n", kind: .integer)]),
                                              artifact: artifact, warnings: warnings)
        var batch = RowBatch(columnCount: 1, capacity: rows)
        for i in 0..<rows { batch.append(Int64(i)) }
        try writer.write(batch)
        try writer.finish()
        try staged.close(artifact, rows: rows)
        try sink.prepareCommit()
        _ = try staged.commit(sources: [], warnings: warnings.messages, tool: "test")
        try sink.commit()
        return warnings.messages
    }

    /// A later sink failing in prepareCommit, or a table failing mid-COPY, rolls the set back.
    func testAFailedRunRollsBack() throws {
        let harness = SinkHarness(root: root)
        for failing in [FailingSink(failIn: .prepareCommit), FailingSink(failIn: .write)] {
            let sink = try harness.makeSink(PostgresSink.self, options: options())
            XCTAssertThrowsError(try harness.run([sink, failing], tables: [.mixed, .single], batchSize: 7, in: try harness.makeRepository()))
            XCTAssertEqual(try count("mixed"), 0, "\(failing.failIn)")
            XCTAssertEqual(try sql("SELECT count(*) FROM cadang.cadang_loads"), ["0"], "\(failing.failIn)")
        }
        // And the next run goes through.
        _ = try harness.run([try harness.makeSink(PostgresSink.self, options: options())], tables: [.mixed], batchSize: 64,
                            in: try harness.makeRepository())
        XCTAssertEqual(try count("mixed"), 257)
    }

    private func failure(_ options: [String: OptionValue], tables: [KitTable] = [.mixed]) throws -> CadangError {
        let harness = SinkHarness(root: root)
        do {
            _ = try harness.run([try harness.makeSink(PostgresSink.self, options: options)], tables: tables, batchSize: 64,
                                in: try harness.makeRepository())
        } catch let error as CadangError {
            XCTAssertFalse(error.description.contains("\n"), "one line: \(error)")
            XCTAssertNotNil(error.fix, "\(error)")
            return error
        }
        throw TestFailure("the run did not fail with a CadangError")
    }

    func testServerDownIsUnavailableWithTheFix() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-server-\(UUID().uuidString)").path
        let error = try failure(options(conninfo: "host=\(empty) port=5999 dbname=x connect_timeout=2"))
        XCTAssertEqual(error.status, .unavailable)
        XCTAssertTrue(error.message.hasPrefix("sink 'postgres' (postgres): "), error.message)
        XCTAssertTrue(error.fix?.contains("server running") ?? false, "\(error)")
    }

    func testWrongCredentialsNameTheFix() throws {
        let role = try TestPostgres.makeRole("pgsink_role", password: "right-password", in: database)
        try TestPostgres.requirePassword(for: role)
        setenv("PGPASSWORD", "wrong-password", 1)
        defer { unsetenv("PGPASSWORD") }
        let error = try failure(options(conninfo: role.conninfo))
        XCTAssertEqual(error.status, .failure)
        XCTAssertTrue(error.fix?.contains("~/.pgpass") ?? false, "\(error)")
        XCTAssertFalse(error.description.contains("wrong-password"), "\(error)")
    }

    func testAMismatchingTableIsRefusedAndNothingWritten() throws {
        _ = try sql("CREATE SCHEMA cadang; CREATE TABLE cadang.mixed (id integer, other text)")
        let error = try failure(options())
        XCTAssertEqual(error.status, .usage)
        XCTAssertTrue(error.message.contains("table cadang.mixed exists with columns (id integer, other text)"), error.message)
        XCTAssertTrue(error.fix?.contains("rename or drop that table") ?? false, "\(error)")
        XCTAssertEqual(try count("mixed"), 0)
        XCTAssertEqual(try sql("SELECT count(*) FROM cadang.cadang_loads"), ["0"])
    }

    /// A dataset wider than a PostgreSQL table can be is refused before anything is written.
    func testADatasetOverPostgresColumnLimitIsRefused() throws {
        let wide = KitTable(schema: TableSchema(name: "wide", columns: (0..<1597).map { Column("c\($0)", kind: .integer) }),
                            rows: [Array(repeating: .integer(1), count: 1597)], keyColumn: nil)
        let error = try failure(options(), tables: [wide])
        XCTAssertEqual(error.status, .usage)
        XCTAssertTrue(error.message.contains("dataset 'wide' has 1597 columns; a PostgreSQL table holds at most 1600"), error.message)
        XCTAssertEqual(try sql("SELECT count(*) FROM cadang.cadang_loads"), ["0"])
    }

    func testAPasswordInTheConfigIsRefusedByTheCheck() {
        let problems = PostgresSink.check(PluginOptions(["postgres": .string("host=x password=secret"), "source": .string("a")],
                                                        defaults: PostgresSink.descriptor.options))
        XCTAssertEqual(problems.map(\.option), ["postgres"])
        XCTAssertFalse("\(problems)".contains("secret"))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A sink that fails at a chosen point of the run, after the postgres sink has written.
final class FailingSink: TransactionalSink, @unchecked Sendable {
    enum Point { case write, prepareCommit }
    static let descriptor = PluginDescriptor(kind: .sink, name: "failing", summary: "Fails (tests only).", options: [])
    let failIn: Point

    init(failIn: Point) { self.failIn = failIn }
    init(configuration: PluginConfiguration) throws { failIn = .write }

    var fileExtension: String? { "fail" }
    func beginRun(setID: String) throws {}
    func prepareCommit() throws {
        if failIn == .prepareCommit { throw CadangError(.failure, "failing sink: prepareCommit") }
    }
    func commit() throws {}
    func rollback() {}

    func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        Writer(fail: failIn == .write && schema.name == "mixed")
    }

    final class Writer: TableWriter {
        let fail: Bool
        var batches = 0
        init(fail: Bool) { self.fail = fail }
        func write(_ batch: RowBatch) throws {
            batches += 1
            if fail && batches == 5 { throw CadangError(.failure, "failing sink: write") }
        }
        func finish() throws {}
    }
}
