import Foundation
import XCTest

/// `cadang restore` while the app is running: real Python processes hold connections to the live
/// database (idle, in a read transaction, in WAL mode, committing sales) and must see the restored
/// data afterwards and go on writing; the rename path is refused while a process holds the file.
final class LiveRestoreTests: XCTestCase {
    private var workspace: Workspace!
    private var database: URL { workspace.url.appendingPathComponent("instance/kasir.db") }

    override func tearDown() {
        workspace = nil
    }

    /// A database with a `database` set of it, then moved on from the set (a category added).
    private func makeWorkspace(journal: String = "delete", transactions: Int = 300) throws {
        workspace = try Workspace(config: KasirTests.config())
        try KasirTests.makeDatabase(at: database, products: 40, transactions: transactions, journal: journal)
        let run = try CLI.cadang.run(["run", "database"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        _ = try Independent.python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1], isolation_level=None)
            con.execute("INSERT INTO kategori (nama) VALUES ('Baru setelah backup')")
            """, [database.path])
    }

    private func snapshotPath() throws -> String {
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first { $0.job == "database" })
        return try XCTUnwrap(set.artifacts.first { $0.dataset == "database" }).path
    }

    private func safetySet() throws -> ListedSet {
        try XCTUnwrap(try workspace.listedSets(.cadang).first { $0.job == "before-restore" }, "a before-restore set")
    }

    private func safetyDatabase() throws -> String {
        try XCTUnwrap(try safetySet().artifacts.first { $0.dataset == "database" }).path
    }

    private func inode(_ url: URL) throws -> UInt64 {
        try XCTUnwrap((try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? NSNumber)?.uint64Value)
    }

    // MARK: Connections the app keeps open

    func testAnIdleConnectionSeesTheRestoredDataAndGoesOnWriting() throws {
        try makeWorkspace()
        let app = try SQLiteHolder(database: database)
        defer { app.stop() }
        let before = try app.tables()
        let inode = try inode(database)

        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("through SQLite's online backup API into the live file"), run.stdout)
        XCTAssertTrue(run.stdout.contains("kasir.db was open in python3 (PID \(app.pid)): it now sees the restored data; nothing to restart"), run.stdout)
        XCTAssertEqual(try self.inode(database), inode, "the same file: no rename")

        let snapshot = try SQLiteHolder.tables(of: try snapshotPath())
        XCTAssertNotEqual(before, snapshot, "the live database had moved on")
        XCTAssertEqual(try app.tables(), snapshot, "the idle connection reads the restored rows, table by table")
        XCTAssertEqual(try app.send("insert")["ok"] as? Bool, true, "its next INSERT succeeds")
        XCTAssertEqual(try app.integrity(), ["ok"])
        XCTAssertEqual(try SQLiteHolder.tables(of: try safetyDatabase()), before, "the before-restore set holds what was there")
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testARestoreWaitsForAnOpenReadTransactionThenTheReaderSeesTheRestoredData() throws {
        try makeWorkspace()
        let app = try SQLiteHolder(database: database)
        defer { app.stop() }
        let before = try app.tables()
        XCTAssertEqual(try app.send("begin-read")["ok"] as? Bool, true)

        let restore = BackgroundRun(["restore", "--yes"], in: workspace.url)
        usleep(700_000)
        XCTAssertFalse(restore.isDone, "in rollback-journal mode the restore waits for the reader's lock")
        XCTAssertEqual(try app.tables(), before, "inside its transaction the reader still sees the old data")
        XCTAssertEqual(try app.send("commit")["ok"] as? Bool, true)
        let run = try restore.wait()
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("was open in python3 (PID \(app.pid))"), run.stdout)

        XCTAssertEqual(try app.tables(), try SQLiteHolder.tables(of: try snapshotPath()))
        XCTAssertEqual(try app.send("insert")["ok"] as? Bool, true)
        XCTAssertEqual(try app.integrity(), ["ok"])
    }

    func testAReadTransactionHeldPastTheBusyTimeoutIsRefusedNamingTheProcess() throws {
        try makeWorkspace()
        let app = try SQLiteHolder(database: database)
        defer { app.stop() }
        XCTAssertEqual(try app.send("begin-read")["ok"] as? Bool, true)
        let before = try Independent.sha256(database.path)

        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("is in use: python3 (PID \(app.pid)) kept it locked"), run.stderr)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try workspace.listedSets(.cadang).map(\.job), ["database"], "no before-restore set")
    }

    func testInWALModeAReaderKeepsItsSnapshotThenSeesTheRestoredData() throws {
        try makeWorkspace(journal: "wal")
        let app = try SQLiteHolder(database: database)
        defer { app.stop() }
        XCTAssertEqual(try app.send("mode")["result"] as? String, "wal")
        let before = try app.tables()
        XCTAssertEqual(try app.send("begin-read")["ok"] as? Bool, true)

        // WAL readers do not block the writer: the restore goes through while the read is open.
        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("through SQLite's online backup API"), run.stdout)
        XCTAssertTrue(run.stdout.contains("was open in python3 (PID \(app.pid)): it now sees the restored data"), run.stdout)
        XCTAssertEqual(try app.tables(), before, "its open read transaction still sees the old data")
        XCTAssertEqual(try app.send("commit")["ok"] as? Bool, true)

        XCTAssertEqual(try app.tables(), try SQLiteHolder.tables(of: try snapshotPath()), "its next transaction sees the restored rows")
        XCTAssertEqual(try app.send("insert")["ok"] as? Bool, true)
        XCTAssertEqual(try app.integrity(), ["ok"])
        XCTAssertEqual(try app.send("mode")["result"] as? String, "wal", "still in WAL mode")
        // The before-restore copy is one self-contained file that includes what the -wal held.
        XCTAssertEqual(try safetySet().artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["kasir.db"])
        XCTAssertEqual(try SQLiteHolder.tables(of: try safetyDatabase()), before)
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    /// The app switched from WAL to rollback-journal mode since the backup: the snapshot's header
    /// says WAL, and the live file must stay in the app's mode.
    func testTheLiveFileKeepsItsJournalModeWhenTheSnapshotWasTakenInAnother() throws {
        try makeWorkspace(journal: "wal")
        _ = try Independent.python("import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode = DELETE')", [database.path])
        let app = try SQLiteHolder(database: database)
        defer { app.stop() }
        XCTAssertEqual(try app.send("mode")["result"] as? String, "delete")

        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try app.tables(), try SQLiteHolder.tables(of: try snapshotPath()))
        XCTAssertEqual(try app.send("insert")["ok"] as? Bool, true)
        XCTAssertEqual(try app.send("mode")["result"] as? String, "delete")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database.path + "-wal"), "not turned into a WAL database")
        XCTAssertEqual(FileSystemHelpers.names(database.deletingLastPathComponent()).filter { $0.hasPrefix(".") }, [],
                       "no converted copy left beside it")
    }

    // MARK: The same from an archive and from the menu

    func testRestoreFromAnArchiveGoesIntoTheLiveFileToo() throws {
        workspace = try Workspace(config: """
            repository: ./backups
            sources:
              kasir: { plugin: kasir-sqlite, database: instance/kasir.db, busy_timeout: 2s }
            sinks:
              usb: { plugin: targz, path: ./usb }
            jobs:
              database: { sources: [kasir.database], sinks: [usb] }
            """)
        try KasirTests.makeDatabase(at: database, products: 40, transactions: 300)
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("usb"), withIntermediateDirectories: true)
        let backup = try CLI.cadang.run(["run", "database"], in: workspace.url)
        XCTAssertEqual(backup.status, 0, backup.stderr)
        let archive = try XCTUnwrap(FileSystemHelpers.names(workspace.url.appendingPathComponent("usb")).first { $0.hasSuffix(".tar.gz") })
        let snapshot = try SQLiteHolder.tables(of: try snapshotPath())
        // The disaster case without a disaster: the repository is gone, the app keeps running.
        try FileManager.default.removeItem(at: workspace.repository)
        let app = try SQLiteHolder(database: database)
        defer { app.stop() }
        XCTAssertEqual(try app.send("insert")["ok"] as? Bool, true)
        let before = try app.tables()
        let inode = try inode(database)

        let run = try CLI.cadang.run(["restore", "--from-archive", "usb/\(archive)", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("through SQLite's online backup API into the live file"), run.stdout)
        XCTAssertTrue(run.stdout.contains("kasir.db was open in python3 (PID \(app.pid)): it now sees the restored data"), run.stdout)
        XCTAssertEqual(try self.inode(database), inode)
        XCTAssertEqual(try app.tables(), snapshot)
        XCTAssertEqual(try app.send("insert")["ok"] as? Bool, true)
        XCTAssertEqual(try SQLiteHolder.tables(of: try safetyDatabase()), before)
    }

    func testTheMenuSaysWhoHasTheFileOpenAndRestoresIntoTheLiveFile() throws {
        try makeWorkspace()
        let app = try SQLiteHolder(database: database)
        defer { app.stop() }
        let result = try CLI.cadang.run(["menu"], in: workspace.url, input: "5\n1\ny\nq\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("through SQLite's online backup API into the live file, which stays the same file"), result.stdout)
        XCTAssertTrue(result.stdout.contains("kasir.db is open in python3 (PID \(app.pid)): it will see the restored data and keep working"),
                      "the plan, before the question: \(result.stdout)")
        XCTAssertTrue(result.stdout.contains("kasir.db was open in python3 (PID \(app.pid)): it now sees the restored data"), result.stdout)
        XCTAssertEqual(try app.tables(), try SQLiteHolder.tables(of: try snapshotPath()))
        XCTAssertEqual(try app.send("insert")["ok"] as? Bool, true)
    }

    func testTheMenuRefusesTheRenamePathWhileTheFileIsHeldAndGoesOn() throws {
        try makeWorkspace()
        try corruptTheLiveDatabase()
        let holder = try FileHolder(database)
        defer { holder.stop() }
        let before = try Independent.sha256(database.path)
        let result = try CLI.cadang.run(["menu"], in: workspace.url, input: "5\n1\ny\nq\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("REFUSED unless --force: kasir.db is open in python3 (PID \(holder.pid))"), result.stdout)
        XCTAssertTrue(result.stderr.contains("is open in python3 (PID \(holder.pid))"), result.stderr)
        XCTAssertTrue(result.stdout.contains("→ FAILED (gagal), exit status 1"), result.stdout)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try workspace.listedSets(.cadang).map(\.job), ["database"])
    }

    // MARK: Sales during the restore

    /// Commits one sale every 10 ms until the stop file appears; prints the kode of every
    /// committed sale as JSON.
    private static let writer = #"""
import json, os, sqlite3, sys, time
path, stop = sys.argv[1], sys.argv[2]
con = sqlite3.connect(path, timeout=30, isolation_level=None)
made = []
while not os.path.exists(stop):
    kode = 'TRXL%08d' % len(made)
    con.execute('BEGIN IMMEDIATE')
    con.execute("INSERT INTO transaksi (kode_transaksi, tanggal, subtotal, discount_percent, discount_amount, total, bayar, kembalian, payment_method, user_id, points_earned) VALUES (?, '2026-11-21 10:00:00.000000', 30000.0, 0.0, 0.0, 30000.0, 50000.0, 20000.0, 'tunai', 1, 30)", (kode,))
    con.execute('COMMIT')
    made.append(kode)
    time.sleep(0.01)
print(json.dumps(made))
"""#

    private static let sales = #"""
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(json.dumps([r[0] for r in con.execute("SELECT kode_transaksi FROM transaksi WHERE kode_transaksi LIKE 'TRXL%'")]
                 + [con.execute('SELECT COUNT(*) FROM transaksi').fetchone()[0], con.execute('PRAGMA integrity_check').fetchone()[0]]))
"""#

    private func salesDuringTheRestore(journal: String) throws {
        try makeWorkspace(journal: journal, transactions: 3000)
        let stop = workspace.url.appendingPathComponent("stop")
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        writer.arguments = ["python3", "-c", Self.writer, database.path, stop.path]
        let output = Pipe()
        writer.standardOutput = output
        try writer.run()
        defer { if writer.isRunning { writer.terminate() } }
        usleep(400_000)
        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        usleep(400_000)
        try Data().write(to: stop)
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        writer.waitUntilExit()
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(writer.terminationStatus, 0, "no sale failed")
        let committed = try JSONDecoder().decode([String].self, from: printed)
        XCTAssertGreaterThan(committed.count, 10, "the writer kept selling around the restore")

        func read(_ path: String) throws -> (sales: Set<String>, rows: Int, integrity: String) {
            let values = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try Independent.python(Self.sales, [path]).utf8)) as? [Any])
            return (Set(values.dropLast(2).compactMap { $0 as? String }), values[values.count - 2] as? Int ?? -1, values.last as? String ?? "")
        }
        let saved = try read(try safetyDatabase())
        let live = try read(database.path)
        let snapshot = try read(try snapshotPath())
        XCTAssertEqual(live.integrity, "ok")
        XCTAssertEqual(snapshot.sales, [], "the writer started after the backup")
        XCTAssertTrue(saved.sales.isDisjoint(with: live.sales), "no sale is both before and after the restore")
        XCTAssertEqual(saved.sales.union(live.sales), Set(committed), "every sale is in the safety set or made after the restore")
        XCTAssertFalse(saved.sales.isEmpty, "sales before the restore")
        XCTAssertFalse(live.sales.isEmpty, "sales after the restore")
        XCTAssertEqual(live.rows, snapshot.rows + live.sales.count, "the restored rows plus the sales made after")
    }

    func testEverySaleDuringTheRestoreIsInTheSafetySetOrAfterTheRestore() throws {
        try salesDuringTheRestore(journal: "delete")
    }

    func testEverySaleDuringTheRestoreIsKeptInWALMode() throws {
        try salesDuringTheRestore(journal: "wal")
    }

    // MARK: Crashes

    func testSIGKILLAtRandomPointsLeavesTheOldOrTheRestoredContentNeverAMix() throws {
        try makeWorkspace(transactions: 50000)
        // The old content: clearly different from the snapshot in every big table.
        _ = try Independent.python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1], isolation_level=None)
            con.execute('DELETE FROM transaksi_item WHERE id % 3 = 0')
            con.execute("UPDATE transaksi SET payment_method = 'qris' WHERE id % 2 = 0")
            """, [database.path])
        let pristine = workspace.url.appendingPathComponent("old.db")
        try FileManager.default.copyItem(at: database, to: pristine)
        let old = try SQLiteHolder.tables(of: pristine.path)
        let restored = try SQLiteHolder.tables(of: try snapshotPath())
        XCTAssertNotEqual(old, restored)

        func reset() throws {
            try? FileManager.default.removeItem(atPath: database.path + "-journal")
            try FileManager.default.removeItem(at: database)
            try FileManager.default.copyItem(at: pristine, to: database)
        }
        let setsFolder = workspace.repository.appendingPathComponent("sets")
        let sets = { FileSystemHelpers.names(setsFolder).count }
        /// Starts a restore; returns it once the before-restore set is listed (the live file is
        /// written from then on) or it ended, and how long that took.
        func startAndWaitForTheSafetySet() throws -> (Process, TimeInterval) {
            let count = sets()
            let started = Date()
            let process = try CLI.cadang.start(["restore", "--yes"], in: workspace.url)
            while process.isRunning, sets() == count { usleep(1000) }
            return (process, Date().timeIntervalSince(started))
        }
        // One undisturbed restore tells how long each part takes.
        let started = Date()
        let (calibration, untilSafety) = try startAndWaitForTheSafetySet()
        calibration.waitUntilExit()
        XCTAssertEqual(calibration.terminationStatus, 0)
        let duration = Date().timeIntervalSince(started)
        let writing = max(duration - untilSafety, 0.01)
        try reset()

        var generator = SystemRandomNumberGenerator()
        var killedMidRun = 0
        var killedWhileWriting = 0
        var outcomes: [String: Int] = [:]
        // At least 20 kills; more while too few landed where they must (a loaded machine stretches
        // the run unevenly), so the coverage asserted below does not hang on chance.
        var attempt = 0
        while attempt < 20 || ((killedMidRun <= 8 || killedWhileWriting <= 4) && attempt < 60) {
            defer { attempt += 1 }
            let process: Process
            if attempt % 2 == 0 {
                // Anywhere in the run.
                process = try CLI.cadang.start(["restore", "--yes"], in: workspace.url)
                usleep(useconds_t(Double.random(in: 0...(duration * 1.1), using: &generator) * 1_000_000))
            } else {
                // While the live file is being written: the part a crash must not tear.
                (process, _) = try startAndWaitForTheSafetySet()
                usleep(useconds_t(Double.random(in: 0...(writing * 1.2), using: &generator) * 1_000_000))
            }
            if process.isRunning {
                killedMidRun += 1
                if attempt % 2 == 1 { killedWhileWriting += 1 }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Opened for writing, as the app would: SQLite rolls a hot journal back first.
            let found = try SQLiteHolder.tables(of: database.path, writable: true)
            XCTAssertEqual(try SQLiteHolder.integrity(of: database.path), ["ok"], "attempt \(attempt)")
            XCTAssertTrue(found == old || found == restored, "attempt \(attempt): neither the old nor the restored content")
            outcomes[found == restored ? "restored" : "old", default: 0] += 1
            if found != old { try reset() }
        }
        let summary = "\(killedMidRun) of \(attempt) killed mid-run, \(killedWhileWriting) of \(attempt / 2) while writing the live file; afterwards \(outcomes)"
        XCTAssertGreaterThan(killedMidRun, 8, summary)
        XCTAssertGreaterThan(killedWhileWriting, 4, summary)
        let after = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(try SQLiteHolder.tables(of: database.path), restored)
    }

    // MARK: Targets SQLite cannot restore into

    /// Garbage over the middle of the file: the header is sound, quick_check is not.
    private func corruptTheLiveDatabase() throws {
        let handle = try FileHandle(forUpdating: database)
        try handle.seek(toOffset: 4096 * 6)
        handle.write(Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 11) }))
        try handle.close()
        let check = try Independent.python("""
            import sqlite3, sys
            try:
                print(sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True).execute('PRAGMA quick_check').fetchone()[0])
            except sqlite3.DatabaseError as error:
                print(error)
            """, [database.path])
        XCTAssertNotEqual(check.trimmingCharacters(in: .whitespacesAndNewlines), "ok", "the test needs a corrupt database")
    }

    func testACorruptTargetNobodyHoldsIsReplacedByRename() throws {
        try makeWorkspace()
        try corruptTheLiveDatabase()
        // The app's file, e.g. owned by the app's user: it keeps its owner and mode.
        XCTAssertEqual(chown(database.path, 1234, 1234), 0, "the tests run as root")
        XCTAssertEqual(chmod(database.path, 0o640), 0)
        let before = try Independent.sha256(database.path)
        let run = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("by writing it beside the old file and renaming it over it"), run.stdout)
        XCTAssertTrue(run.stdout.contains("no other program had kasir.db open"), run.stdout)
        XCTAssertEqual(try Independent.sha256(database.path), try Independent.sha256(try snapshotPath()), "byte-identical: renamed into place")
        let attributes = try FileManager.default.attributesOfItem(atPath: database.path)
        XCTAssertEqual((attributes[.ownerAccountID] as? NSNumber)?.intValue, 1234)
        XCTAssertEqual(try Independent.mode(database.path), 0o640)
        let saved = try XCTUnwrap(try safetySet().artifacts.first { $0.dataset == "database" })
        XCTAssertEqual(saved.sha256, before, "the damaged file is kept byte for byte")
        XCTAssertEqual(saved.format, "unchecked")
    }

    func testAJournalLeftWithoutItsDatabaseIsRemovedNotRolledIntoTheRestoredFile() throws {
        try makeWorkspace()
        let elsewhere = workspace.url.appendingPathComponent("pulih")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try Data("stale journal".utf8).write(to: elsewhere.appendingPathComponent("kasir.db-journal"))
        let run = try CLI.cadang.run(["restore", "--to", elsewhere.path, "--yes"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(FileSystemHelpers.names(elsewhere), ["kasir.db"])
        XCTAssertEqual(try Independent.sha256(elsewhere.appendingPathComponent("kasir.db").path), try Independent.sha256(try snapshotPath()))
    }

    private func assertRefusedWhileHeld(file: StaticString = #filePath, line: UInt = #line) throws {
        // Holding the file open is enough: no lock, not even a SQLite connection.
        let holder = try FileHolder(database)
        defer { holder.stop() }
        let before = try Independent.sha256(database.path)
        let dryRun = try CLI.cadang.run(["restore", "--dry-run"], in: workspace.url)
        XCTAssertTrue(dryRun.stdout.contains("REFUSED unless --force: kasir.db is open in python3 (PID \(holder.pid))"), dryRun.stdout, file: file, line: line)

        let refused = try CLI.cadang.run(["restore", "--yes"], in: workspace.url)
        XCTAssertEqual(refused.status, 1, refused.stderr, file: file, line: line)
        XCTAssertTrue(refused.stderr.contains("\(database.path) is open in python3 (PID \(holder.pid))"), refused.stderr, file: file, line: line)
        XCTAssertTrue(refused.stderr.contains("--force"), refused.stderr, file: file, line: line)
        XCTAssertEqual(try Independent.sha256(database.path), before, "nothing changed", file: file, line: line)
        XCTAssertEqual(try workspace.listedSets(.cadang).map(\.job), ["database"], "no before-restore set", file: file, line: line)

        let forced = try CLI.cadang.run(["restore", "--yes", "--force"], in: workspace.url)
        XCTAssertEqual(forced.status, 0, forced.stderr, file: file, line: line)
        XCTAssertTrue(forced.stdout.contains("kasir.db was open in python3 (PID \(holder.pid)): RESTART IT NOW"), forced.stdout, file: file, line: line)
        XCTAssertEqual(try Independent.sha256(database.path), try Independent.sha256(try snapshotPath()), file: file, line: line)
        XCTAssertEqual(try safetySet().artifacts.first { $0.dataset == "database" }?.sha256, before, file: file, line: line)
    }

    func testACorruptTargetHeldOpenIsRefusedNamingTheProcessUnlessForced() throws {
        try makeWorkspace()
        try corruptTheLiveDatabase()
        try assertRefusedWhileHeld()
    }

    func testANonSQLiteTargetHeldOpenIsRefusedNamingTheProcessUnlessForced() throws {
        try makeWorkspace()
        try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: database)
        try assertRefusedWhileHeld()
    }
}

/// A Python process with its own connection to a SQLite database, as the kasir app keeps in its
/// pool, driven one command per line; it answers each with one JSON line.
final class SQLiteHolder {
    /// Digests of every table's rows (in rowid order), by table name; bytes as stored.
    static let tablesFunction = """
        import hashlib, json, os, sqlite3, sys
        def tables(con):
            out = {}
            names = [r[0].decode() for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            for name in names:
                digest = hashlib.sha256()
                for row in con.execute('SELECT * FROM "%s" ORDER BY rowid' % name):
                    digest.update(repr(row).encode())
                out[name] = digest.hexdigest()
            return out

        """

    private static let script = tablesFunction + """
        con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
        con.text_factory = bytes
        def reply(**fields):
            print(json.dumps(fields), flush=True)
        reply(pid=os.getpid(), tables=tables(con))
        for line in sys.stdin:
            command = line.strip()
            try:
                if command == 'tables':
                    reply(tables=tables(con))
                elif command == 'begin-read':
                    con.execute('BEGIN')
                    con.execute('SELECT COUNT(*) FROM produk').fetchone()
                    reply(ok=True)
                elif command == 'commit':
                    con.execute('COMMIT')
                    reply(ok=True)
                elif command == 'insert':
                    con.execute("INSERT INTO kategori (nama) VALUES ('setelah restore')")
                    reply(ok=True)
                elif command == 'integrity':
                    reply(result=[r[0].decode() for r in con.execute('PRAGMA integrity_check')])
                elif command == 'mode':
                    reply(result=con.execute('PRAGMA journal_mode').fetchone()[0].decode())
                else:
                    reply(error='unknown command ' + command)
            except Exception as error:
                reply(error=str(error))
        """

    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var pending = Data()
    /// What the first answer said: the tables the connection read when it opened.
    private var first: [String: Any] = [:]

    var pid: Int32 { process.processIdentifier }

    /// Starts the process; returns once its connection has read every table.
    init(database: URL) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, database.path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        first = try answer()
    }

    /// Sends a command and returns its answer; fails on an error answer.
    func send(_ command: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        let reply = try answer()
        XCTAssertNil(reply["error"], "\(command): \(reply["error"] ?? "")", file: file, line: line)
        return reply
    }

    func tables() throws -> [String: String] {
        try XCTUnwrap(try send("tables")["tables"] as? [String: String])
    }

    func integrity() throws -> [String] {
        try XCTUnwrap(try send("integrity")["result"] as? [String])
    }

    private func answer() throws -> [String: Any] {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                return try XCTUnwrap(try JSONSerialization.jsonObject(with: line) as? [String: Any])
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the Python holder ended"]) }
            pending.append(chunk)
        }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The table digests of a database file: read-only and without locks for a file nobody writes
    /// (a snapshot), or `writable` as an app would open it (a hot journal is rolled back first).
    static func tables(of path: String, writable: Bool = false) throws -> [String: String] {
        let open = writable ? "sqlite3.connect(sys.argv[1])" : "sqlite3.connect('file:%s?immutable=1' % sys.argv[1], uri=True)"
        // A damaged file gives {"error": …}, which equals no real content.
        let output = try Independent.python(tablesFunction + """
            try:
                con = \(open)
                con.text_factory = bytes
                print(json.dumps(tables(con)))
            except sqlite3.DatabaseError as error:
                print(json.dumps({'error': str(error)}))
            """, [path])
        return try JSONDecoder().decode([String: String].self, from: Data(output.utf8))
    }

    /// `PRAGMA integrity_check` of a database file, by Python's sqlite3.
    static func integrity(of path: String) throws -> [String] {
        let output = try Independent.python("""
            import json, sqlite3, sys
            print(json.dumps([r[0] for r in sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check')]))
            """, [path])
        return try JSONDecoder().decode([String].self, from: Data(output.utf8))
    }
}

/// A Python process that only holds a file open (no SQLite, no lock), until stopped.
final class FileHolder {
    let process = Process()
    private let input = Pipe()
    var pid: Int32 { process.processIdentifier }

    init(_ url: URL) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys\nf = open(sys.argv[1], 'rb')\nprint('open', flush=True)\nsys.stdin.read()", url.path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        _ = output.fileHandleForReading.availableData  // waits for "open"
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// `cadang` running on another thread, for a test that acts while it runs.
final class BackgroundRun: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<CLI.Result, any Error>?

    init(_ arguments: [String], in directory: URL) {
        Thread.detachNewThread { [self] in
            let outcome = Result { try CLI.cadang.run(arguments, in: directory) }
            lock.withLock { result = outcome }
            done.signal()
        }
    }

    var isDone: Bool { lock.withLock { result != nil } }

    func wait() throws -> CLI.Result {
        done.wait()
        return try lock.withLock { result }.map { try $0.get() } ?? CLI.Result(status: -1, stdout: "", stderr: "")
    }
}

enum FileSystemHelpers {
    static func names(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }
}
