import Foundation
import XCTest

/// `cadang init`: the starter config is valid, safe to write, and its jobs produce the sets the old
/// script's commands did — through the shipped binary and a real kasir database.
final class InitTests: XCTestCase {
    func testTheStarterConfigsCommentedScheduleIsValidWhenUsed() throws {
        let workspace = try Workspace()
        try StarterKasirDB.create(at: workspace.url.appendingPathComponent("instance/kasir.db"))
        XCTAssertEqual(try CLI.cadang.run(["init", "--kasir", "instance/kasir.db"], in: workspace.url).status, 0)
        let config = workspace.url.appendingPathComponent("cadang.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
        let active = "  auto: { sources: [kasir], sinks: [excel, json], policies: [sama, harian] }"
        let example = "  # auto: { sources: [kasir], sinks: [excel, json], policies: [sama, harian], schedule: { at: [\"23:00\"] } }"
        XCTAssertTrue(text.contains(active) && text.contains(example), text)
        XCTAssertTrue(text.contains("cadang schedule install"), text)
        let scheduled = text.replacingOccurrences(of: active + "\n", with: "").replacingOccurrences(of: example, with: "  " + example.dropFirst(4))
        try Data(scheduled.utf8).write(to: config)
        let check = try CLI.cadang.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(check.status, 0, check.stderr)
        let show = try CLI.cadang.run(["schedule", "show", "auto"], in: workspace.url)
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("OnCalendar=*-*-* 23:00:00"), show.stdout)
    }

    /// With an Indonesian locale the comments are Indonesian; every key and value is the same.
    func testAnIndonesianLocaleWritesIndonesianCommentsAndTheSameConfig() throws {
        func written(_ environment: [String: String]) throws -> String {
            let workspace = try Workspace()
            try StarterKasirDB.create(at: workspace.url.appendingPathComponent("instance/kasir.db"))
            let result = try CLI.cadang.run(["init", "--kasir", "instance/kasir.db", "--archive", "/media/usb/arsip"],
                                            in: workspace.url, environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            let check = try CLI.cadang.run(["config", "check"], in: workspace.url, environment: environment)
            XCTAssertEqual(check.status, 0, check.stderr)
            return try String(contentsOf: workspace.url.appendingPathComponent("cadang.yaml"), encoding: .utf8)
        }
        let indonesian = try written(["LANG": "id_ID.UTF-8"])
        let english = try written([:])
        for phrase in ["konfigurasi Cadang", "Perintah:", "Tempat backup disimpan", "Database aplikasi kasir",
                       "di flashdisk", "Berapa banyak backup lama", "tiap malam jam 23:00"] {
            XCTAssertTrue(indonesian.contains(phrase), "\(phrase) in:\n\(indonesian)")
        }
        for phrase in ["configuration of Cadang", "Commands:", "Where backup sets are kept", "How many old backups"] {
            XCTAssertFalse(indonesian.contains(phrase), "\(phrase) in:\n\(indonesian)")
            XCTAssertTrue(english.contains(phrase), "\(phrase) in:\n\(english)")
        }
        func settings(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        }
        XCTAssertEqual(settings(indonesian), settings(english), "only the comments differ")
    }

    func testInitWritesAValidCommentedConfigAndEveryJobRuns() throws {
        let workspace = try Workspace()
        try StarterKasirDB.create(at: workspace.url.appendingPathComponent("instance/kasir.db"))

        let initResult = try CLI.cadang.run(["init", "--kasir", "instance/kasir.db"], in: workspace.url)
        XCTAssertEqual(initResult.status, 0, initResult.stderr)
        XCTAssertEqual(initResult.stdout, "wrote cadang.yaml — next: cadang run auto\n")
        XCTAssertEqual(initResult.stderr, "", "no warning when the database exists")
        let config = workspace.url.appendingPathComponent("cadang.yaml")
        XCTAssertEqual(try Independent.mode(config.path), 0o600)

        let check = try CLI.cadang.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.contains("jobs: produk, transaksi, database, auto"), check.stdout)
        XCTAssertTrue(check.stdout.contains("repository \(workspace.repository.path)"), check.stdout)

        let text = try String(contentsOf: config, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("#"), "starts with a header comment")
        for command in ["cadang run auto", "cadang list", "cadang restore", "cadang verify", "cadang menu"] {
            XCTAssertTrue(text.contains(command), "header mentions \(command)")
        }
        for job in ["produk", "transaksi", "database", "auto"] {
            XCTAssertTrue(text.contains("# cadang run \(job) — "), "one-line comment for job \(job)")
        }
        XCTAssertTrue(text.contains("database: \"instance/kasir.db\""), "the database path as given")
        // Without --archive the USB archive is a commented example.
        XCTAssertTrue(text.contains("  # usb: { plugin: targz, path: /media/usb/kasir-archive, require_mount: true, keep_last: 30 }"))
        XCTAssertTrue(text.contains("harian: { plugin: retention, keep_last: 10, keep_daily: 7, keep_weekly: 4, keep_monthly: 12 }"))
        XCTAssertTrue(text.contains("sama: { plugin: duplicate, mode: skip-unchanged }"))
        XCTAssertTrue(text.contains("auto: { sources: [kasir], sinks: [excel, json], policies: [sama, harian] }"))
        for line in text.split(separator: "\n") where line.contains("targz") {
            XCTAssertTrue(line.trimmingCharacters(in: .whitespaces).hasPrefix("#"), "must be commented out: \(line)")
        }

        let expected: [String: Set<String>] = [
            "auto": Set(["kasir.db"] + StarterKasirDB.tables.flatMap { ["\($0).csv", "\($0).json"] }),
            "produk": ["produk.csv", "produk.json"],
            "transaksi": ["transaksi.csv", "transaksi.json", "transaksi_item.csv", "transaksi_item.json"],
            "database": ["kasir.db"],
        ]
        for job in ["auto", "produk", "transaksi", "database"] {
            let run = try CLI.cadang.run(["run", job], in: workspace.url)
            XCTAssertEqual(run.status, 0, "\(job): \(run.stderr)")
            XCTAssertTrue(run.stdout.hasPrefix("\(job): set "), run.stdout)
        }
        // The scheduled job writes nothing new while the database is unchanged.
        let again = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("unchanged since"), again.stdout)
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.map(\.job), ["auto", "produk", "transaksi", "database"])
        for set in sets {
            let names = Set(set.artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent })
            XCTAssertEqual(names, expected[set.job], set.job)
            let onDisk = try FileManager.default.contentsOfDirectory(
                atPath: workspace.repository.appendingPathComponent("sets/\(set.id)").path)
            XCTAssertEqual(Set(onDisk), names.union(["manifest.json"]), set.job)
        }
        // The produk export holds the row, barcode kept as text.
        let produk = try XCTUnwrap(sets[1].artifacts.first { $0.path.hasSuffix("produk.json") })
        let json = try String(contentsOfFile: produk.path, encoding: .utf8)
        XCTAssertTrue(json.contains("\"089686611601\""), json)
        XCTAssertTrue(json.contains("Minyak Goreng Bimoli"), json)
    }

    func testArchiveOptionAddsTheUSBSinkToAutoAndRequiresAMountUnderMedia() throws {
        let workspace = try Workspace()
        try StarterKasirDB.create(at: workspace.url.appendingPathComponent("instance/kasir.db"))
        let onDrive = try CLI.cadang.run(["init", "--kasir", "instance/kasir.db", "--archive", "/media/usb/kasir-archive"], in: workspace.url)
        XCTAssertEqual(onDrive.status, 0, onDrive.stderr)
        var text = try String(contentsOf: workspace.url.appendingPathComponent("cadang.yaml"), encoding: .utf8)
        XCTAssertTrue(text.contains("\n  usb: { plugin: targz, path: \"/media/usb/kasir-archive\", require_mount: true, keep_last: 30 }"), text)
        XCTAssertTrue(text.contains("auto: { sources: [kasir], sinks: [excel, json, usb], policies: [sama, harian] }"), text)
        XCTAssertEqual(try CLI.cadang.run(["config", "check"], in: workspace.url).status, 0)

        // A local folder needs no mount; the archive is written beside the sets and listed with them.
        let local = try CLI.cadang.run(["init", "--kasir", "instance/kasir.db", "--archive", "arsip", "--force"], in: workspace.url)
        XCTAssertEqual(local.status, 0, local.stderr)
        text = try String(contentsOf: workspace.url.appendingPathComponent("cadang.yaml"), encoding: .utf8)
        XCTAssertTrue(text.contains("\n  usb: { plugin: targz, path: \"arsip\", keep_last: 30 }"), text)
        let run = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("arsip/auto-\(set.id).tar.gz").path))
    }

    func testInitRefusesToOverwriteWithoutForce() throws {
        let workspace = try Workspace()
        try StarterKasirDB.create(at: workspace.url.appendingPathComponent("kasir.db"))
        let config = workspace.url.appendingPathComponent("cadang.yaml")
        try workspace.write("cadang.yaml", "# my own config\n")
        chmod(config.path, 0o644)

        let refused = try CLI.cadang.run(["init", "--kasir", "kasir.db"], in: workspace.url)
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("cadang.yaml already exists"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--force"), refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(try String(contentsOf: config, encoding: .utf8), "# my own config\n", "left untouched")

        let forced = try CLI.cadang.run(["init", "--kasir", "kasir.db", "--force"], in: workspace.url)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try String(contentsOf: config, encoding: .utf8).contains("kasir-sqlite"))
        XCTAssertEqual(try Independent.mode(config.path), 0o600, "replaced file is 0600 too")
        XCTAssertEqual(try CLI.cadang.run(["config", "check"], in: workspace.url).status, 0)

        // Also refused when the file was written by init itself.
        XCTAssertEqual(try CLI.cadang.run(["init", "--kasir", "kasir.db"], in: workspace.url).status, 2)
        // No stray temporary files.
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).filter { !$0.hasPrefix(".std") }
        XCTAssertEqual(Set(names), ["cadang.yaml", "kasir.db"])
    }

    func testPathsWithSpacesAndSpecialCharactersRoundTrip() throws {
        let workspace = try Workspace()
        let database = "toko kasir/data $HOME ${USER} \"x\" #1: [ü]/kasir's db.sqlite"
        let repository = "cadangan: usb {1} & 100%"
        try StarterKasirDB.create(at: workspace.url.appendingPathComponent(database))

        let initResult = try CLI.cadang.run(["init", "--kasir", database, "--repository", repository], in: workspace.url)
        XCTAssertEqual(initResult.status, 0, initResult.stderr)
        XCTAssertEqual(initResult.stderr, "", "the database is found through the written path")
        let check = try CLI.cadang.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(check.status, 0, check.stderr)
        let repositoryURL = workspace.url.appendingPathComponent(repository)
        XCTAssertTrue(check.stdout.contains("repository \(repositoryURL.path)"), check.stdout)

        let run = try CLI.cadang.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let sets = try FileManager.default.contentsOfDirectory(atPath: repositoryURL.appendingPathComponent("sets").path)
        XCTAssertEqual(sets.count, 1)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        XCTAssertTrue(set.artifacts.allSatisfy { $0.path.hasPrefix(repositoryURL.path + "/") }, "\(set.artifacts.map(\.path))")
        XCTAssertTrue(set.artifacts.contains { $0.path.hasSuffix("/kasir.db") })
    }

    func testConfigElsewhereKeepsRelativePathsRelativeToItsFolder() throws {
        let workspace = try Workspace()
        try StarterKasirDB.create(at: workspace.url.appendingPathComponent("toko/instance/kasir.db"))
        let result = try CLI.cadang.run(["init", "--kasir", "instance/kasir.db", "--config", "toko/cadang.yaml"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.stdout, "wrote toko/cadang.yaml — next: cadang run auto --config toko/cadang.yaml\n")
        let run = try CLI.cadang.run(["run", "database", "--config", "toko/cadang.yaml"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains(workspace.url.appendingPathComponent("toko/backups/sets").path), run.stdout)
    }

    func testMissingDatabaseStillWritesTheConfigWithAWarning() throws {
        let workspace = try Workspace()
        let result = try CLI.cadang.run(["init", "--kasir", "instance/kasir.db"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("wrote cadang.yaml"), result.stdout)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("cadang: warning: "), result.stderr)
        XCTAssertTrue(result.stderr.contains("instance/kasir.db does not exist"), result.stderr)
        XCTAssertEqual(try CLI.cadang.run(["config", "check"], in: workspace.url).status, 0)
        // The run then fails clearly, naming the file.
        let run = try CLI.cadang.run(["run", "database"], in: workspace.url)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("instance/kasir.db does not exist"), run.stderr)
    }

    func testInitNeedsKasirAndWritesNothingWithoutIt() throws {
        let workspace = try Workspace()
        for arguments in [["init"], ["init", "--kasir", ""], ["init", "--kasir", "kasir.db", "--repository", ""]] {
            let result = try CLI.cadang.run(arguments, in: workspace.url)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("cadang.yaml").path))
        }
        let help = try CLI.cadang.run(["init", "--help"], in: workspace.url)
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--kasir"), help.stdout)
    }
}

/// A small kasir database made by the `sqlite3` program with the app's own DDL (SQLAlchemy
/// `create_all`, as in the kasir README's `schema.sql`), so the tests need nothing beside the repo.
enum StarterKasirDB {
    /// Every table, in creation order.
    static let tables = ["user", "kategori", "member", "pengaturan", "produk", "harga_variasi", "transaksi", "transaksi_item"]

    static let schema = """
        CREATE TABLE user (id INTEGER NOT NULL, username VARCHAR(80) NOT NULL, password_hash VARCHAR(200) NOT NULL, nama VARCHAR(100) NOT NULL, role VARCHAR(20), PRIMARY KEY (id), UNIQUE (username));
        CREATE TABLE kategori (id INTEGER NOT NULL, nama VARCHAR(100) NOT NULL, deskripsi TEXT, PRIMARY KEY (id), UNIQUE (nama));
        CREATE TABLE member (id INTEGER NOT NULL, nama VARCHAR(100) NOT NULL, no_telp VARCHAR(30), alamat TEXT, catatan TEXT, created_at DATETIME, points INTEGER, total_spent FLOAT, PRIMARY KEY (id));
        CREATE TABLE pengaturan (id INTEGER NOT NULL, "key" VARCHAR(50) NOT NULL, value TEXT, PRIMARY KEY (id), UNIQUE ("key"));
        CREATE TABLE produk (id INTEGER NOT NULL, kode VARCHAR(50) NOT NULL, nama VARCHAR(200) NOT NULL, deskripsi TEXT, harga_beli FLOAT NOT NULL, harga_jual FLOAT NOT NULL, stok INTEGER, kategori_id INTEGER, minimal_stok INTEGER, satuan VARCHAR(20), PRIMARY KEY (id), UNIQUE (kode), FOREIGN KEY(kategori_id) REFERENCES kategori (id));
        CREATE TABLE harga_variasi (id INTEGER NOT NULL, produk_id INTEGER NOT NULL, min_qty INTEGER NOT NULL, harga FLOAT NOT NULL, keterangan VARCHAR(100), PRIMARY KEY (id), FOREIGN KEY(produk_id) REFERENCES produk (id));
        CREATE TABLE transaksi (id INTEGER NOT NULL, kode_transaksi VARCHAR(50) NOT NULL, tanggal DATETIME, subtotal FLOAT NOT NULL, discount_percent FLOAT, discount_amount FLOAT, total FLOAT NOT NULL, bayar FLOAT NOT NULL, kembalian FLOAT NOT NULL, payment_method VARCHAR(20), user_id INTEGER, member_id INTEGER, member_manual VARCHAR(100), points_earned INTEGER, PRIMARY KEY (id), UNIQUE (kode_transaksi), FOREIGN KEY(user_id) REFERENCES user (id), FOREIGN KEY(member_id) REFERENCES member (id));
        CREATE TABLE transaksi_item (id INTEGER NOT NULL, transaksi_id INTEGER, produk_id INTEGER, jumlah INTEGER NOT NULL, harga FLOAT NOT NULL, subtotal FLOAT NOT NULL, PRIMARY KEY (id), FOREIGN KEY(transaksi_id) REFERENCES transaksi (id), FOREIGN KEY(produk_id) REFERENCES produk (id));

        """

    static let rows = """
        INSERT INTO user VALUES (1, 'budi', 'pbkdf2:sha256:secret', 'Budi', 'kasir');
        INSERT INTO kategori VALUES (1, 'MINYAK', NULL), (2, 'TEPUNG', 'bahan kue');
        INSERT INTO member VALUES (1, 'Siti', '0812', NULL, NULL, '2025-01-02 08:00:00.000000', 10, 150000.0);
        INSERT INTO pengaturan VALUES (1, 'nama_toko', 'Toko Sembako');
        INSERT INTO produk VALUES (1, '089686611601', 'Minyak Goreng Bimoli', '1L', 10000.0, 14500.0, 50, 1, 10, 'Botol'),
                                  (2, 'SKU002', 'Terigu Cakra', NULL, 8000.0, 12000.0, 100, 2, 20, 'Kg');
        INSERT INTO harga_variasi VALUES (1, 1, 12, 14000.0, 'grosir');
        INSERT INTO transaksi VALUES (1, 'TRX20250208103000', '2025-02-08 10:30:00.000000', 29000.0, 0.0, 0.0, 29000.0, 30000.0, 1000.0, 'tunai', 1, 1, NULL, 29),
                                     (2, 'TRX20250208104500', '2025-02-08 10:45:00.000000', 12000.0, NULL, NULL, 12000.0, 12000.0, 0.0, NULL, NULL, NULL, 'Pak RT', NULL);
        INSERT INTO transaksi_item VALUES (1, 1, 1, 2, 14500.0, 29000.0), (2, 2, 2, 1, 12000.0, 12000.0);

        """

    /// Creates the database (and its folder) at `url`.
    static func create(at url: URL, extraSQL: String = "") throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", url.path, schema + rows + extraSQL]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "sqlite3 failed to create \(url.path)")
    }
}
