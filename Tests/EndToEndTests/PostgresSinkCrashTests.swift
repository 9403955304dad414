import Foundation
import POSTestSupport
import XCTest

/// A `cadang run` killed while the postgres sink's COPY is streaming leaves nothing of its set in
/// the database: the sink's one transaction dies with its connection.
final class PostgresSinkCrashTests: XCTestCase {
    private var database: TestDatabase!

    override func setUpWithError() throws {
        database = try TestPostgres.makeDatabase("pgsink_crash")
    }

    override func tearDownWithError() throws {
        try database?.drop()
    }

    func testARunKilledMidCopyLeavesNoRowsAndTheNextRunLoadsEverythingOnce() throws {
        let workspace = try Workspace(config: """
            repository: ./backups
            sources:
              kasir: { plugin: kasir-sqlite, database: instance/kasir.db }
            sinks:
              pg:
                plugin: postgres
                postgres: "\(database.conninfo)"
                source: toko
            jobs:
              auto: { sources: [kasir], sinks: [pg] }

            """)
        // 200,000 sales: transaksi_item's COPY then runs for seconds, long enough to be caught
        // by a poll every few milliseconds, while the database still generates in a few seconds.
        try KasirTests.makeDatabase(at: workspace.url.appendingPathComponent("instance/kasir.db"), transactions: 200_000)
        let killed = try XLSXTests.debianPython(Self.killMidCopy, [database.conninfo, CLI.cadang.binary.path,
                                                                   workspace.url.appendingPathComponent("cadang.yaml").path])
        let caught = try JSONDecoder().decode(Caught.self, from: Data(killed.utf8))
        // Never catching the COPY must fail the test: the kill would then prove nothing.
        XCTAssertTrue(caught.caught, "no COPY of the sink seen in pg_stat_progress_copy before cadang exited (status \(caught.status))")
        XCTAssertEqual(caught.status, -9, "cadang died of SIGKILL")
        XCTAssertGreaterThan(caught.bytes, 0, "the COPY had streamed rows when killed")
        XCTAssertEqual(try Self.loaded(database.conninfo), Loaded(rows: [:], ledger: [:]), "nothing of the killed set is in the database")
        XCTAssertEqual(try workspace.listedSets(.cadang).count, 0, "no set listed")

        let run = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.count, 1)
        let after = try Self.loaded(database.conninfo)
        let receipts = Dictionary(uniqueKeysWithValues: (sets.first?.artifacts ?? []).compactMap { a in a.rows.map { (a.dataset, $0) } })
        XCTAssertEqual(after.rows["transaksi"], 200_000)
        XCTAssertEqual(after.rows, receipts, "each table loaded once, as many rows as its receipt")
        XCTAssertEqual(after.ledger, after.rows, "one cadang_loads entry per table, for the one set")
    }

    struct Caught: Decodable, Equatable {
        var caught: Bool
        var status: Int
        var bytes: Int
    }

    struct Loaded: Decodable, Equatable {
        var rows: [String: Int]
        var ledger: [String: Int]
    }

    /// Rows per table and cadang_loads rows per dataset, by psycopg2; a table holding rows of
    /// more than one set shows up as a wrong count against the receipts.
    static func loaded(_ conninfo: String) throws -> Loaded {
        let output = try XLSXTests.debianPython(#"""
            import json, sys
            import psycopg2
            db = psycopg2.connect(sys.argv[1])
            cur = db.cursor()
            cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'cadang' AND table_name <> 'cadang_loads'")
            rows = {}
            for (name,) in cur.fetchall():
                cur.execute('SELECT count(*) FROM cadang."%s"' % name.replace('"', '""'))
                rows[name] = cur.fetchone()[0]
            rows = {k: v for k, v in rows.items() if v}
            cur.execute("SELECT to_regclass('cadang.cadang_loads') IS NOT NULL")
            ledger = {}
            if cur.fetchone()[0]:
                cur.execute('SELECT dataset, sum(rows) FROM cadang.cadang_loads GROUP BY dataset')
                ledger = {d: int(n) for d, n in cur.fetchall()}
            print(json.dumps({'rows': rows, 'ledger': ledger}))
            """#, [conninfo])
        return try JSONDecoder().decode(Loaded.self, from: Data(output.utf8))
    }

    /// Starts cadang, polls the server every 5 ms for a COPY by the sink's connection, SIGKILLs
    /// cadang once one has streamed bytes, then waits for the server to drop the dead connection
    /// (its transaction rolls back then). Prints whether the COPY was caught.
    static let killMidCopy = #"""
        import json, os, signal, subprocess, sys, time
        import psycopg2
        conninfo, binary, config = sys.argv[1:4]
        db = psycopg2.connect(conninfo)
        db.autocommit = True
        cur = db.cursor()
        QUERY = ("SELECT p.bytes_processed FROM pg_stat_progress_copy p JOIN pg_stat_activity a ON a.pid = p.pid "
                 "WHERE a.application_name = 'cadang postgres sink' AND p.bytes_processed > 0")
        cadang = subprocess.Popen([binary, '--config', config, '--quiet', 'run', 'auto'],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        caught, seen = False, 0
        while cadang.poll() is None:
            cur.execute(QUERY)
            found = cur.fetchone()
            if found:
                os.kill(cadang.pid, signal.SIGKILL)
                caught, seen = True, found[0]
                break
            time.sleep(0.005)
        status = cadang.wait()
        deadline = time.time() + 30
        while time.time() < deadline:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cadang postgres sink'")
            if cur.fetchone()[0] == 0: break
            time.sleep(0.05)
        print(json.dumps({'caught': caught, 'status': status, 'bytes': seen}))
        """#
}
