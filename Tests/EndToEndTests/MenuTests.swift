import Foundation
import XCTest

/// `cadang menu` driven through standard input, on a kasir database made by the generator.
final class MenuTests: XCTestCase {
    private var workspace: Workspace!
    private var database: URL { workspace.url.appendingPathComponent("instance/kasir.db") }
    private static let environment = ["TZ": "Asia/Jakarta"]

    /// The menu of `KasirTests.config()`: jobs auto, produk, database, then the fixed entries.
    private static let entries = [
        "1) Backup auto (run job auto) — recommended (direkomendasikan)",
        "2) Backup produk (run job produk)",
        "3) Backup database (run job database)",
        "4) List backups (lihat daftar backup)",
        "5) Restore the database kasir.db (pulihkan database)",
        "6) Verify backups (periksa backup)",
        "7) Quit (keluar)",
    ]

    override func setUpWithError() throws {
        workspace = try Workspace(config: KasirTests.config())
        try KasirTests.makeDatabase(at: database, products: 20, transactions: 60)
    }

    override func tearDown() {
        workspace = nil
    }

    // MARK: Helpers

    @discardableResult
    private func menu(_ input: String?, cli: CLI = .cadang, file: StaticString = #filePath, line: UInt = #line) throws -> CLI.Result {
        let result = try cli.run(["menu"], in: workspace.url, environment: Self.environment, input: input)
        XCTAssertEqual(result.status, 0, "the menu exits 0 when the user quits: \(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stdout.contains("\u{1B}"), "no ANSI codes when stdout is not a terminal", file: file, line: line)
        return result
    }

    private func run(_ arguments: [String]) throws {
        let result = try CLI.cadang.run(arguments, in: workspace.url, environment: Self.environment)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    private func sql(_ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database.path, statement]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    private func sets() throws -> [ListedSet] { try workspace.listedSets(.cadang) }

    private func snapshot(of set: ListedSet) throws -> String {
        try XCTUnwrap(set.artifacts.first { $0.dataset == "database" }).path
    }

    /// How many times the menu was shown.
    private func menus(_ stdout: String) -> Int {
        stdout.components(separatedBy: "Cadang — backup menu").count - 1
    }

    /// Error lines on standard error (the generator's invalid text adds warnings to every run).
    private func errors(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { !$0.contains("warning") }
    }

    /// The lines of the restore pick list (between its question and "0) back").
    private func pickList(_ stdout: String) -> [String] {
        let lines = stdout.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("from which backup?") }),
              let end = lines[start...].firstIndex(where: { $0.contains("0) back (kembali)") }) else { return [] }
        return Array(lines[(start + 1)..<end])
    }

    /// A database set with a known time, then the shop moves on.
    private func databaseSet(at time: String) throws -> ListedSet {
        try run(["run", "database", "--time", time])
        try sql("INSERT INTO kategori (nama) VALUES ('setelah \(time)')")
        return try XCTUnwrap(try sets().last { $0.job == "database" })
    }

    // MARK: The menu

    func testTheMenuListsEveryJobInConfigOrderThenTheFixedEntries() throws {
        let result = try menu(nil)
        let shown = result.stdout.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.first?.isNumber == true }
        XCTAssertEqual(shown, Self.entries, result.stdout)
        XCTAssertTrue(result.stdout.contains("config:     \(workspace.url.appendingPathComponent("cadang.yaml").path)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("repository: \(workspace.repository.path)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Choose 1-7 (pilih nomor 1-7): "), result.stdout)
        XCTAssertFalse(result.stdout.lowercased().contains("prune") || result.stdout.lowercased().contains("cleanup"),
                       "no prune entry while prune does not exist")
    }

    func testJobsFollowTheConfigOrderAndDescriptions() throws {
        try workspace.write("cadang.yaml", """
            repository: ./backups
            sources:
              kasir: { plugin: kasir-sqlite, database: instance/kasir.db }
            sinks:
              excel: { plugin: csv, excel: true }
            jobs:
              transaksi: { description: Backup transaksi (CSV), sources: [kasir.transaksi], sinks: [excel] }
              database: { sources: [kasir.database] }
              auto: { sources: [kasir], sinks: [excel] }

            """)
        let result = try menu("q\n")
        let shown = result.stdout.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.first?.isNumber == true }
        XCTAssertEqual(shown, ["1) Backup transaksi (CSV) (run job transaksi)",
                               "2) Backup database (run job database)",
                               "3) Backup auto (run job auto) — recommended (direkomendasikan)",
                               "4) List backups (lihat daftar backup)",
                               "5) Restore the database kasir.db (pulihkan database)",
                               "6) Verify backups (periksa backup)",
                               "7) Quit (keluar)"])
    }

    func testWithoutARestorableSourceThereIsNoRestoreEntry() throws {
        try workspace.write("cadang.yaml", RunTests.config)
        let result = try menu("5\n", cli: .harness)
        let shown = result.stdout.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.first?.isNumber == true }
        XCTAssertEqual(Array(shown.prefix(5)), ["1) Backup auto (run job auto) — recommended (direkomendasikan)",
                                                "2) Backup items (run job items)",
                                                "3) List backups (lihat daftar backup)",
                                                "4) Verify backups (periksa backup)",
                                                "5) Quit (keluar)"])
        XCTAssertTrue(result.stdout.contains("Bye"), "5 is Quit here: \(result.stdout)")
    }

    func testPruneShowsThePlanAndDeletesOnlyAfterYes() throws {
        for hour in 10...12 { try run(["run", "produk", "--time", "2026-02-08T\(hour):00:00+07:00"]) }
        // The same config, now with a retention policy on produk: two of its three sets are surplus.
        try workspace.write("cadang.yaml", KasirTests.config()
            .replacingOccurrences(of: "jobs:", with: "policies:\n  satu: { plugin: retention, keep_last: 1 }\njobs:")
            .replacingOccurrences(of: "produk: { sources: [kasir.produk], sinks: [excel, json] }",
                                  with: "produk: { sources: [kasir.produk], sinks: [excel, json], policies: [satu] }"))
        let declined = try menu("7\nn\n8\n")
        XCTAssertTrue(declined.stdout.contains("7) Delete old backups"), declined.stdout)
        XCTAssertTrue(declined.stdout.contains("Nothing deleted"), declined.stdout)
        XCTAssertEqual(try sets().count, 3)
        let accepted = try menu("7\ny\n8\n")
        XCTAssertTrue(accepted.stdout.contains("remove"), accepted.stdout)
        XCTAssertEqual(try sets().map(\.time), ["2026-02-08T12:00:00+07:00"])
    }

    func testEndOfInputQuitsWithZero() throws {
        // Nothing, an empty stream, after an action, and a last line without its newline (run as typed).
        for input in [nil, "", "4\n", "4"] as [String?] {
            let result = try menu(input)
            XCTAssertTrue(result.stdout.hasSuffix("End of input: quitting (selesai).\n"), result.stdout)
            XCTAssertEqual(errors(result.stderr), [], result.stderr)
        }
        XCTAssertEqual(try sets().count, 0, "nothing ran")
    }

    func testInvalidChoicesPrintAMessageAndTheMenuAgain() throws {
        let result = try menu("9\nabc\n0\n\n-1\n")
        XCTAssertEqual(menus(result.stdout), 6, result.stdout)
        for shown in ["'9'", "'abc'", "'0'", "'-1'"] {
            XCTAssertTrue(result.stdout.contains("\(shown) is not a choice: type a number 1-7 and press Enter"), result.stdout)
        }
        XCTAssertTrue(result.stdout.contains("Nothing chosen: type a number 1-7"), result.stdout)
        XCTAssertEqual(errors(result.stderr), [], result.stderr)
        XCTAssertEqual(try sets().count, 0)
    }

    func testTheAutoJobThenListShowsTheNewSet() throws {
        let result = try menu("1\n4\nq\n")
        let set = try XCTUnwrap(try sets().first)
        XCTAssertEqual(try sets().map(\.job), ["auto"])
        XCTAssertTrue(result.stdout.contains("auto: set \(set.id) — "), "the same output as cadang run auto: \(result.stdout)")
        let list = try XCTUnwrap(result.stdout.range(of: "ID  "), result.stdout)
        let afterList = result.stdout[list.lowerBound...]
        XCTAssertTrue(afterList.contains("\(set.id)  auto"), result.stdout)
        XCTAssertTrue(afterList.contains("1 set(s) in \(workspace.repository.path)"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("Bye (sampai jumpa).\n"), result.stdout)
        XCTAssertEqual(menus(result.stdout), 3)
        // A blank line between a result and the next menu.
        XCTAssertTrue(result.stdout.contains("set(s) in \(workspace.repository.path)\n\nCadang — backup menu"), result.stdout)
    }

    func testAFailedJobIsReportedAndTheMenuContinues() throws {
        try FileManager.default.removeItem(at: database)
        let result = try menu("3\n4\nq\n")
        XCTAssertEqual(errors(result.stderr).count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("does not exist"), result.stderr)
        XCTAssertTrue(result.stdout.contains("→ FAILED (gagal), exit status 1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("no backup sets in"), "the menu went on to List: \(result.stdout)")
        XCTAssertEqual(menus(result.stdout), 3)
    }

    func testVerifyPrintsOk() throws {
        try run(["run", "auto"])
        let set = try XCTUnwrap(try sets().first)
        let result = try menu("6\nq\n")
        XCTAssertTrue(result.stdout.contains("\(set.id) auto: ok ("), result.stdout)
        XCTAssertTrue(result.stdout.contains("1 set(s) verified in \(workspace.repository.path): 1 ok, 0 damaged"), result.stdout)
        XCTAssertFalse(result.stdout.contains("exit status"), result.stdout)
    }

    // MARK: Restore

    func testRestoreWithAPickAndYesRestoresAndSavesTheCurrentDatabase() throws {
        let set = try databaseSet(at: "2026-02-08T23:34:49+07:00")
        let before = try Independent.sha256(database.path)
        XCTAssertNotEqual(before, try Independent.sha256(try snapshot(of: set)))

        let result = try menu("5\n1\ny\nq\n")
        XCTAssertEqual(pickList(result.stdout).count, 1, result.stdout)
        XCTAssertTrue(pickList(result.stdout)[0].contains("1) 2026-02-08 23:34:49"), result.stdout)
        XCTAssertTrue(result.stdout.contains("restore kasir.db of set \(set.id)"), "the plan: \(result.stdout)")
        XCTAssertTrue(result.stdout.contains("Restore now? [y/N]"), result.stdout)
        XCTAssertTrue(result.stdout.contains("restored \(database.path) from set \(set.id)"), result.stdout)
        XCTAssertEqual(errors(result.stderr), [], result.stderr)

        XCTAssertEqual(try Independent.pagesDigest(database.path), try Independent.pagesDigest(try snapshot(of: set)), "the snapshot's pages, restored through SQLite")
        let safety = try XCTUnwrap(try sets().first { $0.job == "before-restore" }, "a before-restore set appears")
        XCTAssertEqual(try Independent.sha256(try snapshot(of: safety)), before, "it holds the previous database")
        XCTAssertEqual(try CLI.cadang.run(["verify"], in: workspace.url).status, 0)
    }

    func testRestoreAcceptsYa() throws {
        let set = try databaseSet(at: "2026-02-08T23:34:49+07:00")
        try menu("5\n1\n ya \nq\n")
        XCTAssertEqual(try Independent.pagesDigest(database.path), try Independent.pagesDigest(try snapshot(of: set)))
    }

    func testRestoreWithNoChangesNothing() throws {
        _ = try databaseSet(at: "2026-02-08T23:34:49+07:00")
        let before = try Independent.sha256(database.path)
        for answer in ["n", "", "tidak", "nanti"] {
            let result = try menu("5\n1\n\(answer)\nq\n")
            XCTAssertTrue(result.stdout.contains("Not restored (tidak dipulihkan)."), result.stdout)
            XCTAssertEqual(menus(result.stdout), 2, "back to the menu: \(result.stdout)")
        }
        let eof = try menu("5\n1\n")
        XCTAssertTrue(eof.stdout.hasSuffix("Restore now? [y/N] (pulihkan sekarang? y = ya) \nNot restored (tidak dipulihkan).\nEnd of input: quitting (selesai).\n"), eof.stdout)
        XCTAssertEqual(menus(eof.stdout), 1, "quits at once")
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try sets().map(\.job), ["database"], "no before-restore set")
    }

    func testZeroInThePickListGoesBack() throws {
        _ = try databaseSet(at: "2026-02-08T23:34:49+07:00")
        let before = try Independent.sha256(database.path)
        let result = try menu("5\n7\n0\n4\nq\n")
        XCTAssertTrue(result.stdout.contains("'7' is not a choice: type a number 0-1"), result.stdout)
        XCTAssertEqual(result.stdout.components(separatedBy: "0) back (kembali)").count - 1, 2, "the pick list again after invalid input")
        XCTAssertTrue(result.stdout.contains("Nothing restored"), result.stdout)
        XCTAssertFalse(result.stdout.contains("Restore now?"), result.stdout)
        XCTAssertTrue(result.stdout.contains("1 set(s) in"), "back in the menu, List ran: \(result.stdout)")
        XCTAssertEqual(menus(result.stdout), 3)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try sets().map(\.job), ["database"])

        let eof = try menu("5\n")
        XCTAssertTrue(eof.stdout.hasSuffix("Choose 0-1 (pilih nomor 0-1): \nEnd of input: quitting (selesai).\n"), eof.stdout)
        XCTAssertEqual(menus(eof.stdout), 1, "quits at once")
        XCTAssertEqual(try Independent.sha256(database.path), before)
    }

    func testThePickListShowsTheNewestFiveSetsWithASnapshotAndNoSafetySets() throws {
        var ids: [String] = []
        for hour in 10...15 {
            ids.append(try databaseSet(at: "2026-02-0\(hour - 9)T\(hour):00:00+07:00").id)
        }
        try run(["run", "produk", "--time", "2026-02-09T08:00:00+07:00"])  // no snapshot
        try run(["restore", "--yes"])  // a before-restore set, newest of all
        XCTAssertEqual(try sets().last?.job, "before-restore")

        let result = try menu("5\n0\nq\n")
        let list = pickList(result.stdout)
        XCTAssertEqual(list.count, 5, result.stdout)
        let expected = [(6, 15), (5, 14), (4, 13), (3, 12), (2, 11)]
        for (index, (day, hour)) in expected.enumerated() {
            XCTAssertTrue(list[index].hasPrefix("  \(index + 1)) 2026-02-0\(day) \(hour):00:00  "), list[index])
            XCTAssertTrue(list[index].hasSuffix("job database, set \(ids[day - 1])"), list[index])
            XCTAssertTrue(list[index].contains(" kB "), "the snapshot's size: \(list[index])")
        }
    }

    func testNoDatabaseSetYet() throws {
        try run(["run", "produk"])
        let result = try menu("5\nq\n")
        XCTAssertTrue(result.stdout.contains("holds a database snapshot yet: run a backup first"), result.stdout)
        XCTAssertEqual(menus(result.stdout), 2)
    }

    func testADamagedSnapshotIsRefusedWithoutAQuestionAndTheMenuContinues() throws {
        let set = try databaseSet(at: "2026-02-08T23:34:49+07:00")
        let before = try Independent.sha256(database.path)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: try snapshot(of: set)))
        try handle.seek(toOffset: 5000)
        handle.write(Data([0x42, 0x42]))
        try handle.close()

        let result = try menu("5\n1\n6\nq\n")
        XCTAssertFalse(result.stdout.contains("Restore now?"), result.stdout)
        XCTAssertEqual(errors(result.stderr).count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("cadang: error: set \(set.id) is damaged"), result.stderr)
        XCTAssertTrue(result.stdout.contains("→ DAMAGE FOUND (ada backup yang rusak), exit status 4"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\(set.id) database: DAMAGED"), "Verify ran next: \(result.stdout)")
        XCTAssertTrue(result.stdout.hasSuffix("Bye (sampai jumpa).\n"), result.stdout)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try sets().map(\.job), ["database"])
    }

    func testRestoreIsRefusedWhileTheAppHoldsTheDatabaseAndTheMenuContinues() throws {
        _ = try databaseSet(at: "2026-02-08T23:34:49+07:00")
        let holder = try Independent.holdWriteLock(on: database)
        defer { holder.terminate(); holder.waitUntilExit() }
        let before = try Independent.sha256(database.path)

        let result = try menu("5\n1\ny\nq\n")
        XCTAssertEqual(errors(result.stderr).count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("is in use"), result.stderr)
        XCTAssertTrue(result.stdout.contains("→ FAILED (gagal), exit status 1"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("Bye (sampai jumpa).\n"), result.stdout)
        XCTAssertEqual(try Independent.sha256(database.path), before)
        XCTAssertEqual(try sets().map(\.job), ["database"])
    }

    // MARK: A whole session

    func testAWholeScriptedSession() throws {
        // Backup semua, produk, database; list; restore the newest database set; verify; quit.
        let result = try menu("1\n2\n3\n4\n5\n1\ny\n6\nq\n")
        let all = try sets()
        XCTAssertEqual(all.map(\.job), ["auto", "produk", "database", "before-restore"])
        XCTAssertEqual(menus(result.stdout), 7, result.stdout)
        XCTAssertEqual(errors(result.stderr), [], result.stderr)
        for job in ["auto", "produk", "database"] {
            XCTAssertTrue(result.stdout.contains("\(job): set "), result.stdout)
        }
        XCTAssertTrue(result.stdout.contains("3 set(s) in \(workspace.repository.path)"), result.stdout)
        // Newest first: the database set, then the auto set (which also holds a snapshot).
        let list = pickList(result.stdout)
        XCTAssertEqual(list.count, 2, result.stdout)
        XCTAssertTrue(list[0].hasSuffix("job database, set \(all[2].id)"), list[0])
        XCTAssertTrue(list[1].hasSuffix("job auto, set \(all[0].id)"), list[1])
        XCTAssertTrue(result.stdout.contains("restored \(database.path) from set \(all[2].id)"), result.stdout)
        XCTAssertEqual(try Independent.pagesDigest(database.path), try Independent.pagesDigest(try snapshot(of: all[2])))
        XCTAssertTrue(result.stdout.contains("4 set(s) verified in \(workspace.repository.path): 4 ok, 0 damaged"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("Bye (sampai jumpa).\n"), result.stdout)
    }

    // MARK: Bahasa Indonesia

    /// With `LANG=id_ID.UTF-8` every line the menu itself says is Indonesian: the entries, the
    /// questions, the pick list, the plan, the outcome and the goodbye.
    func testWithAnIndonesianLocaleTheMenuSpeaksIndonesian() throws {
        let set = try databaseSet(at: "2026-02-08T23:34:49+07:00")
        let environment = Self.environment.merging(["LANG": "id_ID.UTF-8"]) { $1 }
        let result = try CLI.cadang.run(["menu"], in: workspace.url, environment: environment, input: "1\n5\n2\ny\nlima\n7\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        let shown = result.stdout.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.first?.isNumber == true }
        XCTAssertEqual(Array(shown.prefix(7)), ["1) Backup auto (job auto) — direkomendasikan",
                                                "2) Backup produk (job produk)",
                                                "3) Backup database (job database)",
                                                "4) Lihat daftar backup",
                                                "5) Pulihkan database kasir.db dari backup",
                                                "6) Periksa backup",
                                                "7) Keluar"], result.stdout)
        for line in ["Cadang — menu backup", "  konfigurasi: ", "  repositori:  ", "Pilih nomor 1-7: ", "Menjalankan backup auto …",
                     "→ selesai, kode keluar 0", "dari backup yang mana? Terbaru di atas:", "0) kembali", "Pilih nomor 0-2: ",
                     "Yang akan dilakukan:", "diganti dengan isi backup 2026-02-08 23:34:49 (job database, set \(set.id)",
                     "disimpan dulu sebagai backup 'before-restore': kasir.db", "Pulihkan sekarang? [y/T] (y = ya) ",
                     "'lima' bukan pilihan: ketik nomor 1-7 lalu tekan Enter.", "Sampai jumpa."] {
            XCTAssertTrue(result.stdout.contains(line), "\(line) in: \(result.stdout)")
        }
        // The menu's English never shows (the actions' own lines, like "auto: set …", are the commands').
        for english in ["Choose", "backup menu", "Quit", "Restore now", "from which backup", "recommended", "exit status", "Bye"] {
            XCTAssertFalse(result.stdout.contains(english), "\(english) in: \(result.stdout)")
        }
        XCTAssertEqual(try Independent.pagesDigest(database.path), try Independent.pagesDigest(try snapshot(of: set)),
                       "the second-newest database set (the one before auto's) was restored")
    }

    /// POSIX's order decides: `LC_ALL` over `LC_MESSAGES` over `LANG`, empty ones skipped.
    func testTheLocaleVariablesDecideInPOSIXOrder() throws {
        let cases: [([String: String], String)] = [
            (["LANG": "id_ID.UTF-8"], "Keluar"),
            (["LANG": "id"], "Keluar"),
            (["LC_ALL": "id_ID.UTF-8", "LANG": "en_US.UTF-8"], "Keluar"),
            (["LC_ALL": "C.UTF-8", "LANG": "id_ID.UTF-8"], "Quit (keluar)"),
            (["LC_ALL": "", "LC_MESSAGES": "id_ID", "LANG": "C"], "Keluar"),
            (["LANG": "de_DE.UTF-8"], "Quit (keluar)"),
            (["LANG": "ida_XX"], "Quit (keluar)"),
        ]
        for (variables, quit) in cases {
            let result = try CLI.cadang.run(["menu"], in: workspace.url, environment: Self.environment.merging(variables) { $1 }, input: "")
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("7) \(quit)\n"), "\(variables): \(result.stdout)")
        }
    }
}
