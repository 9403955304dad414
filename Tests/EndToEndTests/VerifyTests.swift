import Foundation
import XCTest

/// `cadang verify`: re-reads real sets of a real kasir database and finds each kind of damage,
/// through the shipped binary; never writes.
final class VerifyTests: XCTestCase {
    /// The `verify --json` shape.
    struct Verified: Decodable {
        struct Problem: Decodable {
            var path: String
            var problem: String
        }
        var id: String
        var job: String?
        var status: String
        var problems: [Problem]
    }

    /// A workspace with a kasir database, the starter config, and `auto` run `runs` times.
    private func workspace(runs: Int = 1) throws -> (Workspace, [String]) {
        let workspace = try Workspace()
        try StarterKasirDB.create(at: workspace.url.appendingPathComponent("instance/kasir.db"))
        let initResult = try CLI.cadang.run(["init", "--kasir", "instance/kasir.db"], in: workspace.url)
        XCTAssertEqual(initResult.status, 0, initResult.stderr)
        for _ in 0..<runs {
            // --force: the starter config's auto job skips an unchanged database.
            let run = try CLI.cadang.run(["run", "auto", "--force"], in: workspace.url)
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        return (workspace, try workspace.listedSets(.cadang).map(\.id))
    }

    private func setFolder(_ workspace: Workspace, _ id: String) -> URL {
        workspace.repository.appendingPathComponent("sets").appendingPathComponent(id)
    }

    private func verifyJSON(_ workspace: Workspace, _ arguments: [String] = []) throws -> (Int32, [Verified]) {
        let result = try CLI.cadang.run(["verify", "--json"] + arguments, in: workspace.url)
        return (result.status, try JSONDecoder().decode([Verified].self, from: Data(result.stdout.utf8)))
    }

    /// Changes one byte in place (same size), like bit rot.
    private func flipByte(_ url: URL, at offset: Int) throws {
        var data = try Data(contentsOf: url)
        data[offset] ^= 0x01
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: data)
        try handle.close()
    }

    func testVerifyAfterARunSaysOk() throws {
        let (workspace, ids) = try workspace()
        let id = try XCTUnwrap(ids.first)
        let result = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("\(id) auto: ok (17 files)\n"), result.stdout)
        XCTAssertEqual(result.stderr, "")

        let (status, json) = try verifyJSON(workspace)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(json.map(\.id), [id])
        XCTAssertEqual(json.first?.status, "ok")
        XCTAssertEqual(json.first?.job, "auto")
        XCTAssertEqual(json.first?.problems.count, 0)

        for arguments in [["auto"], ["--set", id], ["--set", "latest"], ["auto", "--set", id]] {
            let one = try CLI.cadang.run(["verify"] + arguments, in: workspace.url)
            XCTAssertEqual(one.status, 0, "\(arguments): \(one.stderr)")
            XCTAssertTrue(one.stdout.contains("\(id) auto: ok"), one.stdout)
        }
    }

    func testATamperedCSVByteIsDamageNamingTheFile() throws {
        let (workspace, ids) = try workspace()
        let id = try XCTUnwrap(ids.first)
        let csv = setFolder(workspace, id).appendingPathComponent("produk.csv")
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: csv.path)[.size] as? NSNumber).intValue
        try flipByte(csv, at: size - 5)

        let result = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(result.status, 4, result.stderr)
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix(id) })
        XCTAssertTrue(line.hasPrefix("\(id) auto: DAMAGED — produk.csv: SHA-256 differs (expected "), String(line))
        XCTAssertFalse(line.contains("produk.json"), "only the damaged file is named: \(line)")

        let (status, json) = try verifyJSON(workspace)
        XCTAssertEqual(status, 4)
        XCTAssertEqual(json.first?.status, "damaged")
        XCTAssertEqual(json.first?.problems.map(\.path), ["produk.csv"])
        XCTAssertTrue(json.first?.problems.first?.problem.hasPrefix("SHA-256 differs") ?? false)
    }

    func testATruncatedDatabaseSnapshotIsDamage() throws {
        let (workspace, ids) = try workspace()
        let id = try XCTUnwrap(ids.first)
        let database = setFolder(workspace, id).appendingPathComponent("kasir.db")
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: database.path)[.size] as? NSNumber).int64Value
        XCTAssertEqual(truncate(database.path, off_t(size / 2)), 0)

        let result = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(result.status, 4, result.stderr)
        XCTAssertTrue(result.stdout.contains("\(id) auto: DAMAGED — kasir.db: size differs (expected \(size) bytes, found \(size / 2))"),
                      result.stdout)
        let (_, json) = try verifyJSON(workspace)
        XCTAssertEqual(json.first?.status, "damaged")
        XCTAssertEqual(Set(json.first?.problems.map(\.path) ?? []), ["kasir.db"])
    }

    func testACorruptedDatabasePageFailsBothTheHashAndQuickCheck() throws {
        let (workspace, ids) = try workspace()
        let id = try XCTUnwrap(ids.first)
        let database = setFolder(workspace, id).appendingPathComponent("kasir.db")
        // Overwrite page 2 onwards (same size) with garbage: the b-trees there no longer parse.
        var data = try Data(contentsOf: database)
        let pageSize = Int(data[16]) << 8 | Int(data[17])
        for offset in pageSize..<min(data.count, pageSize * 4) { data[offset] = 0xA5 }
        try data.write(to: database)

        let (status, json) = try verifyJSON(workspace)
        XCTAssertEqual(status, 4)
        let problems = try XCTUnwrap(json.first?.problems).filter { $0.path == "kasir.db" }.map(\.problem)
        XCTAssertTrue(problems.contains { $0.hasPrefix("SHA-256 differs") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("quick_check failed") }, "\(problems)")
    }

    func testAMissingFileAndAnExtraFileAreReported() throws {
        let (workspace, ids) = try workspace()
        let id = try XCTUnwrap(ids.first)
        let folder = setFolder(workspace, id)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("transaksi.json"))
        try Data("catatan\n".utf8).write(to: folder.appendingPathComponent("catatan.txt"))

        let result = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(result.status, 4, result.stderr)
        XCTAssertTrue(result.stdout.contains("transaksi.json: missing"), result.stdout)
        XCTAssertTrue(result.stdout.contains("catatan.txt: not in the manifest"), result.stdout)

        let (status, json) = try verifyJSON(workspace)
        XCTAssertEqual(status, 4)
        let problems = try XCTUnwrap(json.first?.problems)
        XCTAssertEqual(problems.map(\.path), ["transaksi.json", "catatan.txt"])
        XCTAssertEqual(problems.map(\.problem), ["missing", "not in the manifest"])
    }

    func testOnlyAnExtraFileIsStillReported() throws {
        let (workspace, ids) = try workspace()
        let folder = setFolder(workspace, try XCTUnwrap(ids.first))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lain"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: folder.appendingPathComponent("lain/x.csv"))
        let (status, json) = try verifyJSON(workspace)
        XCTAssertEqual(status, 4)
        XCTAssertEqual(json.first?.problems.map(\.path), ["lain"])
        XCTAssertEqual(json.first?.problems.first?.problem, "folder not in the manifest")
    }

    func testUnknownSetIsAUsageError() throws {
        let (workspace, ids) = try workspace()
        for id in ["20990101T000000.000000Z-000000000000", "kemarin", "../../etc"] {
            let result = try CLI.cadang.run(["verify", "--set", id], in: workspace.url)
            XCTAssertEqual(result.status, 2, "\(id): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("no backup set '\(id)'"), result.stderr)
            XCTAssertEqual(result.stdout, "")
        }
        // A set of another job than the one named.
        let other = try CLI.cadang.run(["verify", "produk", "--set", try XCTUnwrap(ids.first)], in: workspace.url)
        XCTAssertEqual(other.status, 2, other.stderr)
        XCTAssertTrue(other.stderr.contains("belongs to job 'auto'"), other.stderr)
        // A job neither configured nor in the repository.
        let typo = try CLI.cadang.run(["verify", "atuo"], in: workspace.url)
        XCTAssertEqual(typo.status, 2, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("no job named 'atuo'"), typo.stderr)
    }

    func testEachSetIsReportedSeparately() throws {
        let (workspace, ids) = try workspace(runs: 3)
        XCTAssertEqual(ids.count, 3)
        let produk = try CLI.cadang.run(["run", "produk"], in: workspace.url)
        XCTAssertEqual(produk.status, 0, produk.stderr)
        try flipByte(setFolder(workspace, ids[1]).appendingPathComponent("kategori.json"), at: 3)

        let result = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(result.status, 4, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, result.stdout)
        XCTAssertTrue(lines[0].hasPrefix("\(ids[0]) auto: ok (17 files)"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("\(ids[1]) auto: DAMAGED — kategori.json: SHA-256 differs"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("\(ids[2]) auto: ok (17 files)"), lines[2])
        XCTAssertTrue(lines[3].hasSuffix(" produk: ok (2 files)"), lines[3])
        XCTAssertEqual(lines[4], "4 set(s) verified in \(workspace.repository.path): 3 ok, 1 damaged")

        let (_, json) = try verifyJSON(workspace)
        XCTAssertEqual(json.map(\.status), ["ok", "damaged", "ok", "ok"])
        XCTAssertEqual(json.map(\.job), ["auto", "auto", "auto", "produk"])

        // The other sets, alone, are fine.
        XCTAssertEqual(try CLI.cadang.run(["verify", "--set", ids[2]], in: workspace.url).status, 0)
        XCTAssertEqual(try CLI.cadang.run(["verify", "produk"], in: workspace.url).status, 0)
        XCTAssertEqual(try CLI.cadang.run(["verify", "--set", ids[1]], in: workspace.url).status, 4)
        // --quiet keeps the damage, drops the rest.
        let quiet = try CLI.cadang.run(["verify", "--quiet"], in: workspace.url)
        XCTAssertEqual(quiet.status, 4)
        XCTAssertEqual(quiet.stdout.split(separator: "\n").count, 1, quiet.stdout)
        XCTAssertTrue(quiet.stdout.hasPrefix("\(ids[1]) auto: DAMAGED"), quiet.stdout)
    }

    func testABrokenManifestIsDamageNotASilentlyMissingSet() throws {
        let (workspace, ids) = try workspace(runs: 2)
        let manifest = setFolder(workspace, ids[0]).appendingPathComponent("manifest.json")
        try Data("{ \"job\": \"auto\", \"artifacts\": [".utf8).write(to: manifest)
        let result = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(result.status, 4, result.stderr)
        XCTAssertTrue(result.stdout.contains("\(ids[0]) ?: DAMAGED — manifest.json: unreadable or invalid"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\(ids[1]) auto: ok"), result.stdout)
        let (_, json) = try verifyJSON(workspace, ["auto"])
        XCTAssertEqual(json.map(\.status), ["damaged", "ok"])
        XCTAssertNil(json[0].job)
        XCTAssertEqual(try CLI.cadang.run(["verify", "--set", ids[0]], in: workspace.url).status, 4)
    }

    func testNoSetsIsNotAnError() throws {
        let (workspace, ids) = try workspace(runs: 0)
        XCTAssertEqual(ids, [])
        let result = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("no backup sets in "), result.stdout)
        let json = try CLI.cadang.run(["verify", "--json"], in: workspace.url)
        XCTAssertEqual(json.status, 0)
        XCTAssertEqual(try JSONDecoder().decode([Verified].self, from: Data(json.stdout.utf8)).count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.repository.path), "verify creates no repository")
        // A configured job without sets yet is fine too.
        XCTAssertEqual(try CLI.cadang.run(["verify", "database"], in: workspace.url).status, 0)
    }

    func testVerifyWritesNothingAndTakesNoLock() throws {
        let (workspace, ids) = try workspace(runs: 2)
        try flipByte(setFolder(workspace, ids[0]).appendingPathComponent("produk.csv"), at: 10)
        let before = try Self.tree(workspace.repository)

        // Runs even while a writer holds the repository lock.
        let lock = workspace.repository.appendingPathComponent("lock")
        let fd = open(lock.path, O_RDWR)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        defer { close(fd) }

        XCTAssertEqual(try CLI.cadang.run(["verify"], in: workspace.url).status, 4)
        XCTAssertEqual(try CLI.cadang.run(["verify", "--json"], in: workspace.url).status, 4)
        XCTAssertEqual(try CLI.cadang.run(["verify", "--set", ids[1]], in: workspace.url).status, 0)
        XCTAssertEqual(try Self.tree(workspace.repository), before)
    }

    /// Every path under `root` with its type, size, mode and modification time (nanoseconds).
    static func tree(_ root: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        func walk(_ url: URL, _ relative: String) throws {
            var info = stat()
            XCTAssertEqual(lstat(url.path, &info), 0, url.path)
            result[relative] = "\(info.st_mode) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
            if (info.st_mode & S_IFMT) == S_IFDIR {
                for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
                    try walk(url.appendingPathComponent(name), relative + "/" + name)
                }
            }
        }
        try walk(root, "")
        return result
    }
}
