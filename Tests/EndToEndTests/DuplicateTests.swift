import Foundation
import XCTest

/// The `duplicate` policy through the shipped binary, on kasir databases made by the generator.
final class DuplicateTests: XCTestCase {
    static let config = """
        repository: ./backups
        sources:
          kasir: { plugin: kasir-sqlite, database: instance/kasir.db, busy_timeout: 2s }
        sinks:
          json: { plugin: json }
        policies:
          same: { plugin: duplicate, mode: skip-unchanged }
          baru: { plugin: duplicate, mode: new-rows, key: { transaksi: kode_transaksi } }
        jobs:
          auto: { sources: [kasir], sinks: [json], policies: [same] }
          baru: { sources: [kasir.transaksi, kasir.produk], sinks: [json], policies: [baru] }

        """

    private func makeWorkspace(transactions: Int = 600) throws -> Workspace {
        let workspace = try Workspace(config: Self.config)
        try KasirTests.makeDatabase(at: database(workspace), transactions: transactions)
        return workspace
    }

    private func database(_ workspace: Workspace) -> URL {
        workspace.url.appendingPathComponent("instance/kasir.db")
    }

    /// Appends `count` transactions (copies of existing ones under new codes) as the app would;
    /// returns their codes.
    private func addTransactions(_ count: Int, to workspace: Workspace, tag: String) throws -> Set<String> {
        let output = try Independent.python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            cols = [r[1] for r in db.execute("PRAGMA table_info(transaksi)") if r[1] not in ("id", "kode_transaksi")]
            rows = db.execute(f"SELECT {', '.join(cols)} FROM transaksi ORDER BY id").fetchall()
            codes = []
            for n in range(int(sys.argv[2])):
                row = rows[n % len(rows)]
                code = f"{sys.argv[3]}-{n:05d}"
                db.execute(f"INSERT INTO transaksi (kode_transaksi, {', '.join(cols)}) VALUES (?, {', '.join('?' * len(cols))})", (code, *row))
                codes.append(code)
            db.commit()
            print("\\n".join(codes))
            """, [database(workspace).path, "\(count)", tag])
        let codes = Set(output.split(separator: "\n").map(String.init))
        XCTAssertEqual(codes.count, count)
        return codes
    }

    /// The `kode_transaksi` of every row of a set's `transaksi.json`, read with JSONSerialization.
    private func codes(in set: ListedSet) throws -> [String] {
        let artifact = try XCTUnwrap(set.artifacts.first { $0.dataset == "transaksi" && $0.format == "json" })
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: artifact.path))) as? [[String: Any]])
        return rows.map { $0["kode_transaksi"] as? String ?? "?" }
    }

    private func manifest(of set: ListedSet) throws -> [String: Any] {
        let folder = URL(fileURLWithPath: set.artifacts[0].path).deletingLastPathComponent()
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as? [String: Any])
    }

    // MARK: skip-unchanged

    func testAnUnchangedDatabaseWritesNoSetUntilForcedOrChanged() throws {
        let workspace = try makeWorkspace()
        let first = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(first.status, 0, first.stderr)
        let firstSet = try XCTUnwrap(try workspace.listedSets(.cadang).first)

        let second = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("unchanged since \(firstSet.id)"), second.stdout)
        XCTAssertEqual(try workspace.listedSets(.cadang).count, 1, "no set for an unchanged database")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workspace.repository.appendingPathComponent("tmp").path), [],
                       "a skipped run leaves nothing staged")

        let json = try CLI.cadang.run(["run", "auto", "--json"], in: workspace.url)
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"skipped\""), json.stdout)

        let forced = try CLI.cadang.run(["run", "auto", "--force"], in: workspace.url)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try workspace.listedSets(.cadang).count, 2, "--force writes a set anyway")

        // One changed row is a change.
        _ = try Independent.python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1]); db.execute("UPDATE produk SET stok = stok + 1 WHERE id = (SELECT min(id) FROM produk)"); db.commit()
            """, [database(workspace).path])
        let changed = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertFalse(changed.stdout.contains("unchanged"), changed.stdout)
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.count, 3, "a changed database gets a new set")
        // The fingerprint is recorded, so the next unchanged run compares against the newest set.
        let again = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertTrue(again.stdout.contains("unchanged since \(sets[2].id)"), again.stdout)
        let sources = try XCTUnwrap(try manifest(of: sets[2])["sources"] as? [[String: Any]])
        let fingerprint = try XCTUnwrap(sources.first?["fingerprint"] as? String)
        // The snapshot's digest is computed once, for the fingerprint, and recorded for kasir.db too.
        let snapshot = try XCTUnwrap(sets[2].artifacts.first { $0.dataset == "database" })
        XCTAssertEqual(fingerprint, "sha256:" + snapshot.sha256)
        XCTAssertEqual(try Independent.sha256(snapshot.path), snapshot.sha256)
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testAnUnchangedWALDatabaseIsAlsoRecognised() throws {
        let workspace = try Workspace(config: Self.config)
        try KasirTests.makeDatabase(at: database(workspace), journal: "wal")
        XCTAssertEqual(try CLI.cadang.run(["run", "auto"], in: workspace.url).status, 0)
        let second = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertTrue(second.stdout.contains("unchanged since"), second.stdout + second.stderr)
    }

    // MARK: new-rows

    func testOnlyNewRowsAreWrittenAndTheManifestSaysSo() throws {
        let workspace = try makeWorkspace()
        let base = try CLI.cadang.run(["run", "baru"], in: workspace.url)
        XCTAssertEqual(base.status, 0, base.stderr)
        let baseSet = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        XCTAssertEqual(try codes(in: baseSet).count, 600, "the first run writes every row")

        let added = try addTransactions(1000, to: workspace, tag: "BARU")
        let next = try CLI.cadang.run(["run", "baru"], in: workspace.url)
        XCTAssertEqual(next.status, 0, next.stderr)
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.count, 2)
        let written = try codes(in: sets[1])
        XCTAssertEqual(written.count, 1000)
        XCTAssertEqual(Set(written), added, "exactly the new transactions")
        XCTAssertEqual(sets[1].artifacts.first { $0.dataset == "transaksi" }?.rows, 1000)
        XCTAssertEqual(sets[1].artifacts.first { $0.dataset == "produk" }?.rows, 80, "a dataset without a key is written whole")

        let incremental = try XCTUnwrap(try manifest(of: sets[1])["incremental"] as? [[String: Any]], "the set is marked incremental")
        XCTAssertEqual(incremental.count, 1)
        XCTAssertEqual(incremental[0]["dataset"] as? String, "transaksi")
        XCTAssertEqual(incremental[0]["key"] as? String, "kode_transaksi")
        XCTAssertEqual(incremental[0]["read"] as? Int, 1600)
        XCTAssertEqual(incremental[0]["written"] as? Int, 1000)

        let none = try CLI.cadang.run(["run", "baru"], in: workspace.url)
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertEqual(try codes(in: try workspace.listedSets(.cadang)[2]), [], "nothing new, no rows")
        XCTAssertEqual(try CLI.cadang.run(["verify"], in: workspace.url).status, 0)
        XCTAssertEqual(try Independent.mode(workspace.repository.appendingPathComponent("index/baru.baru.keys").path), 0o600)
        XCTAssertEqual(try Independent.mode(workspace.repository.appendingPathComponent("index").path), 0o700)
    }

    /// The window between the key index's commit and the set's rename: keys of a set that is not
    /// listed must not count. Unlisting a set by hand is exactly that state (and what a prune does).
    func testKeysOfASetThatIsNotListedDoNotCount() throws {
        let workspace = try makeWorkspace()
        XCTAssertEqual(try CLI.cadang.run(["run", "baru"], in: workspace.url).status, 0)
        let added = try addTransactions(1000, to: workspace, tag: "HILANG")
        XCTAssertEqual(try CLI.cadang.run(["run", "baru"], in: workspace.url).status, 0)
        let lost = try XCTUnwrap(try workspace.listedSets(.cadang).last)
        XCTAssertEqual(Set(try codes(in: lost)), added)
        try FileManager.default.removeItem(at: workspace.repository.appendingPathComponent("sets/\(lost.id)"))

        let again = try CLI.cadang.run(["run", "baru"], in: workspace.url)
        XCTAssertEqual(again.status, 0, again.stderr)
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.count, 2)
        XCTAssertEqual(Set(try codes(in: sets[1])), added, "rows whose only set is gone are written again")
    }

    func testARunKilledAtRandomPointsNeverMarksRowsAsBackedUp() throws {
        let workspace = try makeWorkspace(transactions: 20000)
        XCTAssertEqual(try CLI.cadang.run(["run", "baru"], in: workspace.url).status, 0)
        let added = try addTransactions(1000, to: workspace, tag: "KILL")
        // Time one undisturbed run on a copy of the whole workspace (repository and key index
        // included), so kills land all along a run.
        let probe = try Workspace()
        try FileManager.default.removeItem(at: probe.url)
        try FileManager.default.copyItem(at: workspace.url, to: probe.url)
        let started = Date()
        XCTAssertEqual(try CLI.cadang.run(["run", "baru"], in: probe.url).status, 0)
        let duration = Date().timeIntervalSince(started)

        var killedMidRun = 0
        // At least 20 kills; more while too few landed mid-run (a loaded machine stretches runs
        // unevenly), so the coverage asserted below does not hang on chance.
        var attempts = 0
        while attempts < 20 || (killedMidRun <= 10 && attempts < 60) {
            attempts += 1
            let process = try CLI.cadang.start(["run", "baru"], in: workspace.url)
            usleep(useconds_t(Double.random(in: (duration * 0.05)...(duration * 0.95)) * 1_000_000))
            if process.isRunning { killedMidRun += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        XCTAssertGreaterThan(killedMidRun, 10, "most kills should land while the run is working")
        let last = try CLI.cadang.run(["run", "baru"], in: workspace.url)
        XCTAssertEqual(last.status, 0, last.stderr)

        // Across every listed set after the first, each new transaction appears exactly once.
        let sets = try workspace.listedSets(.cadang)
        var seen: [String: Int] = [:]
        for set in sets.dropFirst() {
            for code in try codes(in: set) { seen[code, default: 0] += 1 }
        }
        XCTAssertEqual(Set(seen.keys), added, "every new row is backed up, and nothing else")
        XCTAssertEqual(seen.values.filter { $0 != 1 }.count, 0, "no new row is written twice")
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    // MARK: configuration

    func testMisconfiguredPoliciesAreUsageErrors() throws {
        let cases: [(policy: String, expected: String)] = [
            ("{ plugin: duplicate, mode: new-rows }", "names no key"),
            ("{ plugin: duplicate, mode: skip-unchanged, key: { transaksi: id } }", "only to mode new-rows"),
            ("{ plugin: duplicate, mode: sometimes }", "sometimes"),
        ]
        let twoRetentions = """
            sources:
              kasir: { plugin: kasir-sqlite, database: kasir.db }
            policies:
              harian: { plugin: retention, keep_daily: 7 }
              bulanan: { plugin: retention, keep_monthly: 12 }
              same: { plugin: duplicate, mode: skip-unchanged }
              baru: { plugin: duplicate, mode: new-rows, key: { transaksi: kode_transaksi } }
            jobs:
              auto: { sources: [kasir.database], policies: [same, baru, harian, bulanan] }
            """
        let workspace2 = try Workspace(config: twoRetentions)
        let check2 = try CLI.cadang.run(["config", "check"], in: workspace2.url)
        XCTAssertEqual(check2.status, 2, check2.stderr)
        XCTAssertTrue(check2.stderr.contains("cadang.yaml:9:"), check2.stderr)
        XCTAssertTrue(check2.stderr.contains("lists two retention policies, 'harian' and 'bulanan'"), check2.stderr)
        XCTAssertEqual(check2.stderr.components(separatedBy: "two ").count, 2, "only the retention pair is refused: \(check2.stderr)")

        for (policy, expected) in cases {
            let workspace = try Workspace(config: """
                sources:
                  kasir: { plugin: kasir-sqlite, database: kasir.db }
                policies:
                  p: \(policy)
                jobs:
                  auto: { sources: [kasir.database], policies: [p] }
                """)
            let check = try CLI.cadang.run(["config", "check"], in: workspace.url)
            XCTAssertEqual(check.status, 2, policy)
            XCTAssertTrue(check.stderr.contains(expected), "\(policy): \(check.stderr)")
        }

        let workspace = try Workspace(config: Self.config.replacingOccurrences(of: "transaksi: kode_transaksi", with: "transaksi: nomor"))
        try KasirTests.makeDatabase(at: database(workspace))
        let run = try CLI.cadang.run(["run", "baru"], in: workspace.url)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").filter { $0.contains("error:") }.count, 1, "one line: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("has no column 'nomor'"), run.stderr)
        XCTAssertEqual(try workspace.listedSets(.cadang).count, 0)
    }
}
