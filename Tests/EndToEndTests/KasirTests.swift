import Foundation
import XCTest

/// The kasir source through the shipped binary, on databases made by `Scripts/kasir-sample-db`.
final class KasirTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Makes a sample kasir database with the project's generator.
    static func makeDatabase(at url: URL, schema: String = "create_all", products: Int = 80, transactions: Int = 600,
                             journal: String = "delete", seed: Int = 7) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = repositoryRoot.appendingPathComponent("Scripts/kasir-sample-db")
        process.arguments = [url.path, "--schema", schema, "--products", "\(products)", "--transactions", "\(transactions)",
                             "--journal", journal, "--seed", "\(seed)", "--force"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "kasir-sample-db failed")
    }

    static func config(database: String = "instance/kasir.db", excel: Bool = true) -> String {
        """
        repository: ./backups
        sources:
          kasir: { plugin: kasir-sqlite, database: \(database), busy_timeout: 2s }
        sinks:
          excel: { plugin: csv, excel: \(excel) }
          json: { plugin: json }
        jobs:
          auto: { sources: [kasir], sinks: [excel, json] }
          produk: { sources: [kasir.produk], sinks: [excel, json] }
          database: { sources: [kasir.database] }

        """
    }

    struct OracleReport: Decodable {
        var problems: [String]
        var problemCount: Int
        var counts: [String: Int]
        var tables: [String]
    }

    func oracle(_ set: ListedSet, backupDate: String, excel: Bool = true) throws -> OracleReport {
        let directory = URL(fileURLWithPath: set.artifacts[0].path).deletingLastPathComponent().path
        let output = try Independent.python(KasirOracle.script, [directory, backupDate, excel ? "excel" : "plain"])
        return try JSONDecoder().decode(OracleReport.self, from: Data(output.utf8))
    }

    private func assertExportsMatchTheSnapshot(schema: String, excel: Bool) throws {
        let workspace = try Workspace(config: Self.config(excel: excel))
        try Self.makeDatabase(at: workspace.url.appendingPathComponent("instance/kasir.db"), schema: schema)
        let run = try CLI.cadang.run(["run", "--time", "2026-02-08T23:34:49+07:00"], in: workspace.url, environment: ["TZ": "Asia/Jakarta"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("invalid UTF-8"), "the generator's invalid text is reported: \(run.stderr)")
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let report = try oracle(set, backupDate: "2026-02-08 23:34:49", excel: excel)
        XCTAssertEqual(report.problemCount, 0, report.problems.joined(separator: "\n"))
        XCTAssertEqual(Set(report.counts.keys), Set(report.tables), "every table exported")
        for artifact in set.artifacts where artifact.format == "csv" || artifact.format == "json" {
            XCTAssertEqual(artifact.rows, report.counts[artifact.dataset], "manifest rows of \(artifact.path)")
        }
        XCTAssertEqual(set.artifacts.filter { $0.format == "sqlite" }.map(\.dataset), ["database"])
    }

    func testExportsOfACreateAllDatabaseMatchAnIndependentReadingOfTheSnapshot() throws {
        try assertExportsMatchTheSnapshot(schema: "create_all", excel: true)
    }

    func testExportsOfAMigratedDatabaseMatchAnIndependentReadingOfTheSnapshot() throws {
        try assertExportsMatchTheSnapshot(schema: "migrated", excel: true)
    }

    func testPlainCSVProfileAlsoMatches() throws {
        try assertExportsMatchTheSnapshot(schema: "create_all", excel: false)
    }

    func testJobsPickTheirDatasets() throws {
        let workspace = try Workspace(config: Self.config())
        try Self.makeDatabase(at: workspace.url.appendingPathComponent("instance/kasir.db"), products: 20, transactions: 50)
        XCTAssertEqual(try CLI.cadang.run(["run", "produk"], in: workspace.url).status, 0)
        XCTAssertEqual(try CLI.cadang.run(["run", "database"], in: workspace.url).status, 0)
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.map { $0.artifacts.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted() },
                       [["produk.csv", "produk.json"], ["kasir.db"]])
    }

    // MARK: Bad input: one line naming the file, exit 1, no set.

    private func assertRefused(_ prepare: (URL) throws -> Void, message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let workspace = try Workspace(config: Self.config())
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("instance"), withIntermediateDirectories: true)
        try prepare(workspace.url.appendingPathComponent("instance/kasir.db"))
        let run = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 1, run.stderr, file: file, line: line)
        let lines = run.stderr.split(separator: "\n").filter { !$0.contains("warning") }
        XCTAssertEqual(lines.count, 1, "one line: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(run.stderr.contains(message), run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains("instance/kasir.db"), "names the file: \(run.stderr)", file: file, line: line)
        XCTAssertEqual(try workspace.listedSets(.cadang).count, 0, file: file, line: line)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: workspace.repository.appendingPathComponent("tmp").path)) ?? []
        XCTAssertEqual(leftovers, [], file: file, line: line)
    }

    func testMissingDatabase() throws {
        try assertRefused({ _ in }, message: "does not exist")
    }

    func testNotASQLiteFile() throws {
        try assertRefused({ try Data("ID,Kode\n1,SKU001\n".utf8).write(to: $0) }, message: "is not a SQLite database")
    }

    func testTruncatedDatabase() throws {
        try assertRefused({ url in
            try Self.makeDatabase(at: url, products: 200, transactions: 2000)
            let bytes = try Data(contentsOf: url)
            try bytes.prefix(bytes.count / 2).write(to: url)
        }, message: "kasir.db")
    }

    func testCorruptPagesAreCaughtByQuickCheck() throws {
        try assertRefused({ url in
            try Self.makeDatabase(at: url, products: 200, transactions: 2000)
            var bytes = try Data(contentsOf: url)
            // Scribble over the middle of the file, leaving the header intact.
            for i in stride(from: bytes.count / 3, to: bytes.count / 3 + 8192, by: 1) { bytes[i] = 0x5A }
            try bytes.write(to: url)
        }, message: "damaged")
    }

    /// Root reads every file, so the run drops to the unprivileged user `nobody` (with setpriv).
    func testUnreadableDatabase() throws {
        XCTAssertEqual(getuid(), 0, "this test drops privileges with setpriv and needs root (CI runs as root)")
        let workspace = try Workspace(config: Self.config())
        let database = workspace.url.appendingPathComponent("instance/kasir.db")
        try Self.makeDatabase(at: database, products: 20, transactions: 50)
        for folder in [workspace.url, database.deletingLastPathComponent()] {
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: database.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.cadang.binary.path, "run"]
        process.currentDirectoryURL = workspace.url
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("instance/kasir.db cannot be read"), stderr)
        XCTAssertEqual(stderr.split(separator: "\n").count, 1, stderr)
        XCTAssertEqual(try workspace.listedSets(.cadang).count, 0)
    }

    func testDatabaseWithoutProduk() throws {
        try assertRefused({ url in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sqlite3", url.path, "CREATE TABLE something (id INTEGER PRIMARY KEY); INSERT INTO something VALUES (1);"]
            try process.run()
            process.waitUntilExit()
        }, message: "has no table 'produk'")
    }
}
