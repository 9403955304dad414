import Foundation
import XCTest

/// The `targz` sink and the archive commands (`verify --archive`, `restore --from-archive`)
/// through the shipped binary, checked with other programs: GNU tar, gzip, zstd, sha256sum and
/// Python's tarfile. Drives are real tmpfs mounts (the tests run as root, as CI does).
final class ArchiveTests: XCTestCase {
    private let mounts = TmpfsMounts()
    /// Kept until the mounts are gone, so each workspace folder can be removed afterwards.
    private var workspaces: [Workspace] = []
    /// Folders outside the workspaces, removed after each test.
    private var scratch: [URL] = []

    override func tearDown() {
        mounts.unmountAll()
        workspaces = []
        for url in scratch { try? FileManager.default.removeItem(at: url) }
        scratch = []
    }

    // MARK: Helpers

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs another program (through `env`, so PATH applies) and captures both streams.
    @discardableResult
    static func tool(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-e2e-tool-\(UUID().uuidString)")
        let out = URL(fileURLWithPath: base.path + ".out"), err = URL(fileURLWithPath: base.path + ".err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }


    private static func database(_ workspace: Workspace) -> URL {
        workspace.url.appendingPathComponent("instance/kasir.db")
    }

    /// A workspace with a sample kasir database and an empty `usb` folder (the drive's root).
    private func makeWorkspace(products: Int = 20, transactions: Int = 50) throws -> Workspace {
        let workspace = try Workspace()
        workspaces.append(workspace)
        try KasirTests.makeDatabase(at: Self.database(workspace), products: products, transactions: transactions)
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("usb"), withIntermediateDirectories: true)
        return workspace
    }

    /// Writes cadang.yaml: the kasir source and the given sinks and jobs (one YAML line each).
    private func configure(_ workspace: Workspace, sinks: [String], jobs: [String]) throws {
        let lines = ["repository: ./backups", "sources:",
                     "  kasir: { plugin: kasir-sqlite, database: instance/kasir.db, busy_timeout: 2s }",
                     "sinks:"] + sinks.map { "  " + $0 } + ["jobs:"] + jobs.map { "  " + $0 }
        try workspace.write("cadang.yaml", lines.joined(separator: "\n") + "\n")
    }

    private func setFolder(_ workspace: Workspace, _ id: String) -> URL {
        workspace.repository.appendingPathComponent("sets").appendingPathComponent(id)
    }

    /// A set's manifest.json, read from the set folder with JSONSerialization.
    private struct SetManifest {
        struct Entry {
            var path: String
            var sha256: String
            var bytes: Int64
        }
        var url: URL
        var id: String
        var job: String
        var artifacts: [Entry]
    }

    private func manifest(_ workspace: Workspace, _ id: String) throws -> SetManifest {
        let url = setFolder(workspace, id).appendingPathComponent("manifest.json")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        XCTAssertEqual(object["format"] as? String, "cadang-manifest/1")
        let artifacts = try XCTUnwrap(object["artifacts"] as? [[String: Any]]).map { artifact in
            SetManifest.Entry(path: artifact["path"] as? String ?? "?", sha256: artifact["sha256"] as? String ?? "?",
                              bytes: (artifact["bytes"] as? NSNumber)?.int64Value ?? -1)
        }
        return SetManifest(url: url, id: try XCTUnwrap(object["id"] as? String), job: try XCTUnwrap(object["job"] as? String),
                           artifacts: artifacts)
    }

    /// Names in a folder, sorted (hidden ones included); none when it does not exist.
    private func names(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// Every path under `folder` (recursively, hidden ones included), relative to it.
    private func tree(_ folder: URL) -> Set<String> {
        Set(FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
    }

    private func newFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-e2e-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        scratch.append(url)
        return url
    }

    private static func size(_ url: URL) throws -> Int64 {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber).int64Value
    }

    /// `run --json`'s reports.
    private static func reports(_ result: CLI.Result) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], result.stdout)
    }

    /// `verify --archive --json`.
    struct ArchiveReport: Decodable {
        var archive: String
        var status: String
        var id: String?
        var job: String?
        var files: Int?
        var bytes: Int64?
        var sha256File: Bool
        var problem: String?
    }

    private func verifyArchive(_ archive: URL, in directory: URL) throws -> (Int32, ArchiveReport) {
        let result = try CLI.cadang.run(["verify", "--archive", archive.path, "--json"], in: directory)
        let report = try JSONDecoder().decode(ArchiveReport.self, from: Data(result.stdout.utf8))
        return (result.status, report)
    }

    /// `list --json` with the copies of each set.
    struct ListedCopies: Decodable {
        struct Copy: Decodable, Equatable {
            var sink: String
            var path: String
        }
        var id: String
        var job: String
        var copies: [Copy]
    }

    private func listedCopies(_ workspace: Workspace) throws -> [ListedCopies] {
        let result = try CLI.cadang.run(["list", "--json"], in: workspace.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode([ListedCopies].self, from: Data(result.stdout.utf8))
    }

    /// Changes one byte in place (same size), like bit rot.
    private func flipByte(_ url: URL, at offset: Int) throws {
        var data = try Data(contentsOf: url)
        data[offset] ^= 0x5A
        try data.write(to: url)
    }

    /// Python's tarfile reading an archive: one line per entry, `name<TAB>kind<TAB>sha256`.
    /// zstd goes through `zstd -dc` into a streaming tarfile.
    private static let tarfileReader = #"""
        import hashlib, subprocess, sys, tarfile
        path, kind = sys.argv[1], sys.argv[2]
        decompressor = None
        if kind == 'zstd':
            decompressor = subprocess.Popen(['zstd', '-q', '-dc', path], stdout=subprocess.PIPE)
            archive = tarfile.open(fileobj=decompressor.stdout, mode='r|')
        else:
            archive = tarfile.open(path, mode='r:gz' if kind == 'gzip' else 'r:')
        for member in archive:
            data = archive.extractfile(member).read() if member.isreg() else b''
            print(f"{member.name}\t{'file' if member.isreg() else 'other'}\t{hashlib.sha256(data).hexdigest()}")
        archive.close()
        if decompressor is not None and decompressor.wait() != 0:
            sys.exit('zstd -dc failed')
        """#

    /// How many gzip members a file holds (each one complete), by zlib.
    private static let gzipMembers = #"""
        import sys, zlib
        data = open(sys.argv[1], 'rb').read()
        members = 0
        while data:
            member = zlib.decompressobj(31)
            member.decompress(data)
            if not member.eof:
                sys.exit('a cut gzip member')
            data = member.unused_data
            members += 1
        print(members)
        """#

    // MARK: 1. Archives readable by the standard tools

    func testArchivesAreReadableByStandardToolsAndMatchTheManifest() throws {
        // Big enough (about 9 MB of tar) for several 2 MiB gzip members, so threads matter.
        let workspace = try makeWorkspace(products: 200, transactions: 8000)
        try configure(workspace, sinks: [
            "json: { plugin: json }",
            "gz1: { plugin: targz, path: ./usb/gz1, threads: 1 }",
            "gz2: { plugin: targz, path: ./usb/gz2, threads: 2 }",
            "zst: { plugin: targz, path: ./usb/zst, compression: zstd }",
            "raw: { plugin: targz, path: ./usb/raw, compression: none }",
        ], jobs: ["auto: { sources: [kasir], sinks: [json, gz1, gz2, zst, raw] }"])
        let run = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let manifest = try self.manifest(workspace, set.id)
        XCTAssertGreaterThan(manifest.artifacts.count, 5, "the kasir database plus its JSON exports")
        let expectedNames = ["\(set.id)/manifest.json"] + manifest.artifacts.map { "\(set.id)/\($0.path)" }
        let expectedDigests = [try Independent.sha256(manifest.url.path)] + manifest.artifacts.map(\.sha256)

        for (sink, kind, ending) in [("gz1", "gzip", ".tar.gz"), ("gz2", "gzip", ".tar.gz"), ("zst", "zstd", ".tar.zst"), ("raw", "none", ".tar")] {
            let folder = workspace.url.appendingPathComponent("usb/\(sink)")
            let name = "auto-\(set.id)\(ending)"
            let archive = folder.appendingPathComponent(name)
            XCTAssertEqual(names(folder), [name, name + ".sha256"], sink)
            let flag: [String] = kind == "gzip" ? ["-z"] : kind == "zstd" ? ["--zstd"] : []

            // GNU tar lists the manifest first, then every artifact, and nothing else.
            let listing = try Self.tool(["tar"] + flag + ["-tf", archive.path])
            XCTAssertEqual(listing.status, 0, "\(sink): \(listing.stderr)")
            XCTAssertEqual(listing.stdout.split(separator: "\n").map(String.init), expectedNames, sink)

            // The compressor's own integrity check.
            if kind == "gzip" {
                let test = try Self.tool(["gzip", "-t", archive.path])
                XCTAssertEqual(test.status, 0, "\(sink): gzip -t: \(test.stderr)")
                let members = try Independent.python(Self.gzipMembers, [archive.path]).trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertGreaterThanOrEqual(Int(members) ?? 0, 2, "\(sink): independent gzip members")
            } else if kind == "zstd" {
                let test = try Self.tool(["zstd", "-q", "-t", archive.path])
                XCTAssertEqual(test.status, 0, "\(sink): zstd -t: \(test.stderr)")
                // The frame carries its content checksum, so any damage to it is found.
                let listing = try Self.tool(["zstd", "-lv", archive.path])
                XCTAssertTrue(listing.stdout.contains("Check: XXH64"), "\(sink): zstd -lv: \(listing.stdout)")
            }

            // GNU tar extracts exactly the set; every file is the one the manifest describes.
            let extracted = try newFolder("extract")
            let extract = try Self.tool(["tar"] + flag + ["-xf", archive.path, "-C", extracted.path])
            XCTAssertEqual(extract.status, 0, "\(sink): \(extract.stderr)")
            XCTAssertEqual(names(extracted), [set.id], sink)
            let inside = extracted.appendingPathComponent(set.id)
            XCTAssertEqual(names(inside), (["manifest.json"] + manifest.artifacts.map(\.path)).sorted(), sink)
            XCTAssertEqual(try Independent.sha256(inside.appendingPathComponent("manifest.json").path), expectedDigests[0],
                           "\(sink): the archived manifest is the set's")
            for artifact in manifest.artifacts {
                XCTAssertEqual(try Independent.sha256(inside.appendingPathComponent(artifact.path).path), artifact.sha256, "\(sink): \(artifact.path)")
            }

            // Python's tarfile reads the same entries, all regular files, with the same bytes.
            let rows = try Independent.python(Self.tarfileReader, [archive.path, kind]).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            XCTAssertEqual(rows.map { $0.first ?? "" }, expectedNames, "\(sink): tarfile's names")
            XCTAssertEqual(rows.map { $0.count > 1 ? $0[1] : "" }, Array(repeating: "file", count: expectedNames.count), sink)
            XCTAssertEqual(rows.map { $0.last ?? "" }, expectedDigests, "\(sink): tarfile's contents")

            // The sidecar is in sha256sum's format and matches.
            let check = try Self.tool(["sha256sum", "-c", name + ".sha256"], in: folder)
            XCTAssertEqual(check.status, 0, "\(sink): \(check.stdout) \(check.stderr)")
            XCTAssertEqual(check.stdout, "\(name): OK\n", sink)

            // Private: the archive, its sidecar and the folder.
            XCTAssertEqual(try Independent.mode(archive.path), 0o600, sink)
            XCTAssertEqual(try Independent.mode(archive.path + ".sha256"), 0o600, sink)
            XCTAssertEqual(try Independent.mode(folder.path), 0o700, sink)

            let (status, report) = try verifyArchive(archive, in: workspace.url)
            XCTAssertEqual(status, 0, "\(sink): \(report)")
            XCTAssertEqual(report.files, manifest.artifacts.count, sink)
            XCTAssertTrue(report.sha256File, sink)
        }
    }

    // MARK: 2. require_mount

    /// A folder on the filesystem that holds `/` (the workspace when it is there), i.e. a drive's
    /// mount point while no drive is mounted.
    private func unmountedFolder(for workspace: Workspace) throws -> URL {
        func device(_ path: String) -> UInt64? {
            var info = stat()
            return stat(path, &info) == 0 ? UInt64(info.st_dev) : nil
        }
        let root = device("/")
        if device(workspace.url.path) == root {
            let folder = workspace.url.appendingPathComponent("drive")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder
        }
        // Else a folder right under / is on that filesystem by definition (the tests run as root).
        let base = device("/var/tmp") == root ? "/var/tmp" : ""
        let folder = URL(fileURLWithPath: "\(base)/cadang-e2e-drive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        scratch.append(folder)
        return folder
    }

    func testRequireMountRefusesAnUnmountedDriveButKeepsTheSet() throws {
        let workspace = try makeWorkspace()
        let drive = try unmountedFolder(for: workspace)
        try configure(workspace, sinks: ["usb: { plugin: targz, path: \(drive.path)/arsip, require_mount: true }"],
                      jobs: ["auto: { sources: [kasir.database], sinks: [usb] }"])

        let refused = try CLI.cadang.run(["run", "--json"], in: workspace.url)
        XCTAssertEqual(refused.status, 75, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("drive not mounted"), refused.stderr)
        let report = try XCTUnwrap(try Self.reports(refused).first)
        XCTAssertEqual(report["status"] as? String, "committed")
        XCTAssertEqual(report["exitCode"] as? Int, 75)
        XCTAssertTrue((report["error"] as? String)?.contains("drive not mounted") == true, "\(report)")
        XCTAssertEqual(names(drive), [], "nothing is written to the system disk under the mount point")

        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.count, 1, "the set was committed before the sink ran")
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertEqual(try listedCopies(workspace).first?.copies, [])

        // The drive is plugged in.
        try mounts.mount(at: drive, options: "size=64m")
        let run = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let now = try workspace.listedSets(.cadang)
        XCTAssertEqual(now.count, 2)
        let name = "auto-\(now[1].id).tar.gz"
        XCTAssertEqual(names(drive.appendingPathComponent("arsip")), [name, name + ".sha256"])
        let (status, archived) = try verifyArchive(drive.appendingPathComponent("arsip/\(name)"), in: workspace.url)
        XCTAssertEqual(status, 0, "\(archived)")
        XCTAssertEqual(archived.id, now[1].id)
    }

    // MARK: 3. Full drive

    func testAFullDriveIsRefusedAfterTheSetIsCommittedAndLeavesNoArchive() throws {
        let workspace = try makeWorkspace(products: 200, transactions: 3000)
        try configure(workspace, sinks: ["usb: { plugin: targz, path: ./drive/arsip }"],
                      jobs: ["auto: { sources: [kasir.database], sinks: [usb] }"])
        let drive = workspace.url.appendingPathComponent("drive")
        try mounts.mount(at: drive, options: "size=256k")

        let run = try CLI.cadang.run(["run", "--json"], in: workspace.url)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("full"), run.stderr)
        let report = try XCTUnwrap(try Self.reports(run).first)
        XCTAssertEqual(report["status"] as? String, "committed")
        XCTAssertEqual(report["exitCode"] as? Int, 1)
        XCTAssertTrue((report["error"] as? String)?.contains("full") == true, "\(report)")

        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        XCTAssertGreaterThan(set.artifacts.map(\.bytes).reduce(0, +), 256 * 1024, "the set cannot fit on the drive")
        XCTAssertTrue(Set(names(drive)).isSubset(of: ["arsip"]), "\(names(drive))")
        XCTAssertEqual(names(drive.appendingPathComponent("arsip")), [], "no .partial and no archive")
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    /// The free-space check passes (the previous archive was small) but the drive fills up while
    /// the archive is written.
    func testADriveThatFillsUpWhileWritingLeavesNoPartialArchive() throws {
        let workspace = try makeWorkspace()
        try configure(workspace, sinks: ["usb: { plugin: targz, path: ./drive/arsip, compression: none }"],
                      jobs: ["auto: { sources: [kasir.database], sinks: [usb] }"])
        let small = try Self.size(Self.database(workspace))
        // Room for the first (small) archive with the check's 1 MiB margin, not for the big one.
        let kilobytes = (small + (1 << 20) + (128 << 10)) / 4096 * 4 + 4
        let drive = workspace.url.appendingPathComponent("drive")
        try mounts.mount(at: drive, options: "size=\(kilobytes)k")
        let first = try CLI.cadang.run(["run", "--time", "2026-01-01T10:00:00+07:00"], in: workspace.url)
        XCTAssertEqual(first.status, 0, first.stderr)
        let firstSet = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let firstName = "auto-\(firstSet.id).tar"

        try KasirTests.makeDatabase(at: Self.database(workspace), products: 300, transactions: 8000)
        XCTAssertGreaterThan(try Self.size(Self.database(workspace)), kilobytes * 1024, "the new archive cannot fit")
        let second = try CLI.cadang.run(["run", "--json", "--time", "2026-01-02T10:00:00+07:00"], in: workspace.url)
        XCTAssertEqual(second.status, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("full"), second.stderr)
        let report = try XCTUnwrap(try Self.reports(second).first)
        XCTAssertEqual(report["status"] as? String, "committed")
        XCTAssertEqual(report["exitCode"] as? Int, 1)

        XCTAssertEqual(names(drive.appendingPathComponent("arsip")), [firstName, firstName + ".sha256"],
                       "the earlier archive stays; no .partial and no new archive")
        let (status, archived) = try verifyArchive(drive.appendingPathComponent("arsip/\(firstName)"), in: workspace.url)
        XCTAssertEqual(status, 0, "\(archived)")
        XCTAssertEqual(try workspace.listedSets(.cadang).count, 2)
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    // MARK: 4. Retention per destination

    func testKeepLastPrunesOnlyThatJobsArchivesInThatFolder() throws {
        let workspace = try makeWorkspace()
        try configure(workspace, sinks: ["json: { plugin: json }", "usb: { plugin: targz, path: ./usb/arsip, keep_last: 2 }"],
                      jobs: ["auto: { sources: [kasir.database], sinks: [usb] }",
                             "produk: { sources: [kasir.produk], sinks: [json, usb] }"])
        let folder = workspace.url.appendingPathComponent("usb/arsip")
        // Another job's (older) archive and a file of the user's share the folder.
        let other = try CLI.cadang.run(["run", "produk", "--time", "2025-12-01T10:00:00+07:00"], in: workspace.url)
        XCTAssertEqual(other.status, 0, other.stderr)
        let produk = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let produkName = "produk-\(produk.id).tar.gz"
        try Data("catatan\n".utf8).write(to: folder.appendingPathComponent("catatan.txt"))

        var ids: [String] = []
        for day in 1...4 {
            let run = try CLI.cadang.run(["run", "auto", "--time", "2026-01-0\(day)T10:00:00+07:00"], in: workspace.url)
            XCTAssertEqual(run.status, 0, run.stderr)
            let sets = try workspace.listedSets(.cadang).filter { $0.job == "auto" }
            XCTAssertEqual(sets.count, day)
            ids.append(try XCTUnwrap(sets.last).id)
            let kept = names(folder).filter { $0.hasPrefix("auto-") }
            XCTAssertEqual(kept, ids.suffix(2).flatMap { ["auto-\($0).tar.gz", "auto-\($0).tar.gz.sha256"] }.sorted(), "after run \(day)")
        }
        XCTAssertEqual(names(folder), (["catatan.txt", produkName, produkName + ".sha256"]
                                       + ids.suffix(2).flatMap { ["auto-\($0).tar.gz", "auto-\($0).tar.gz.sha256"] }).sorted(),
                       "the 2 newest archives of the job remain; nothing else is touched")
        XCTAssertEqual(try workspace.listedSets(.cadang).filter { $0.job == "auto" }.map(\.id), ids, "the repository keeps its 4 sets")
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    /// Sets written while the drive was away are archived by the next run that reaches it: those
    /// newer than the newest archive there that the keep_* rules keep.
    func testSetsWrittenWhileTheDriveWasAwayAreArchivedByTheNextRun() throws {
        let workspace = try makeWorkspace()
        try configure(workspace, sinks: ["usb: { plugin: targz, path: ./usb/arsip, keep_last: 3 }"],
                      jobs: ["auto: { sources: [kasir.database], sinks: [usb] }"])
        let drive = workspace.url.appendingPathComponent("usb")
        let away = workspace.url.appendingPathComponent("usb-away")
        func run(_ day: Int, expect status: Int32) throws -> String {
            let result = try CLI.cadang.run(["run", "auto", "--time", "2026-02-0\(day)T21:00:00+07:00"], in: workspace.url)
            XCTAssertEqual(result.status, status, "day \(day): \(result.stderr)")
            return try XCTUnwrap(try workspace.listedSets(.cadang).last).id
        }
        let first = try run(1, expect: 0)
        try FileManager.default.moveItem(at: drive, to: away) // unplugged: the folder's parent is gone
        let missed = [try run(2, expect: 75), try run(3, expect: 75), try run(4, expect: 75)]
        try FileManager.default.moveItem(at: away, to: drive)
        let last = try run(5, expect: 0)
        let folder = drive.appendingPathComponent("arsip")
        let archived = names(folder).filter { $0.hasSuffix(".tar.gz") }
        XCTAssertEqual(archived, ([missed[1], missed[2], last]).map { "auto-\($0).tar.gz" }.sorted(),
                       "the 3 newest (keep_last 3) of the sets missed and the new one; the older ones are not written just to be pruned")
        XCTAssertFalse(archived.contains("auto-\(first).tar.gz"), "pruned by keep_last")
        for name in archived {
            XCTAssertEqual(try CLI.cadang.run(["verify", "--archive", folder.appendingPathComponent(name).path], in: workspace.url).status, 0, name)
        }
        // A new, empty drive gets the current set only, not the whole history.
        try FileManager.default.removeItem(at: folder)
        _ = try run(6, expect: 0)
        XCTAssertEqual(names(folder).filter { $0.hasSuffix(".tar.gz") }.count, 1)
    }

    // MARK: 5. list shows copies

    func testListShowsTheArchivedCopiesOfEachSet() throws {
        let workspace = try makeWorkspace()
        try configure(workspace, sinks: ["json: { plugin: json }",
                                         "usb: { plugin: targz, path: ./usb/a }",
                                         "usb2: { plugin: targz, path: ./usb/b, compression: zstd }"],
                      jobs: ["auto: { sources: [kasir.database], sinks: [usb, usb2] }",
                             "produk: { sources: [kasir.produk], sinks: [json] }"])
        for arguments in [["auto", "--time", "2026-01-01T10:00:00+07:00"], ["auto", "--time", "2026-01-02T10:00:00+07:00"],
                          ["produk", "--time", "2026-01-03T10:00:00+07:00"]] {
            let run = try CLI.cadang.run(["run"] + arguments, in: workspace.url)
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.map(\.job), ["auto", "auto", "produk"])
        let a = workspace.url.appendingPathComponent("usb/a"), b = workspace.url.appendingPathComponent("usb/b")
        // The first set's gzip copy is lost (say the drive was wiped); its zstd copy remains.
        try FileManager.default.removeItem(at: a.appendingPathComponent("auto-\(sets[0].id).tar.gz"))

        let listed = try listedCopies(workspace)
        XCTAssertEqual(listed.map(\.id), sets.map(\.id))
        XCTAssertEqual(listed[0].copies, [.init(sink: "usb2", path: b.appendingPathComponent("auto-\(sets[0].id).tar.zst").path)])
        XCTAssertEqual(listed[1].copies.sorted { $0.sink < $1.sink },
                       [.init(sink: "usb", path: a.appendingPathComponent("auto-\(sets[1].id).tar.gz").path),
                        .init(sink: "usb2", path: b.appendingPathComponent("auto-\(sets[1].id).tar.zst").path)])
        XCTAssertEqual(listed[2].copies, [], "a job without an archive sink")
        for copy in listed.flatMap(\.copies) {
            XCTAssertTrue(FileManager.default.fileExists(atPath: copy.path), copy.path)
        }

        let text = try CLI.cadang.run(["list"], in: workspace.url)
        XCTAssertEqual(text.status, 0, text.stderr)
        let rows = text.stdout.split(separator: "\n").map { $0.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        let header = try XCTUnwrap(rows.first)
        let column = try XCTUnwrap(header.firstIndex(of: "COPIES"), text.stdout)
        func copies(_ id: String) -> String? {
            rows.first { $0.first == id }.flatMap { $0.count > column ? $0[column] : nil }
        }
        XCTAssertEqual(copies(sets[0].id), "usb2", text.stdout)
        XCTAssertEqual(copies(sets[1].id), "usb, usb2", text.stdout)
        XCTAssertEqual(copies(sets[2].id), "-", text.stdout)
    }

    // MARK: 6. verify --archive

    func testVerifyArchiveFindsFlippedBytesTruncationAndAWrongSidecar() throws {
        let workspace = try makeWorkspace()
        try configure(workspace, sinks: ["json: { plugin: json }",
                                         "gz: { plugin: targz, path: ./usb/gz }",
                                         "zst: { plugin: targz, path: ./usb/zst, compression: zstd }",
                                         "raw: { plugin: targz, path: ./usb/raw, compression: none }"],
                      jobs: ["auto: { sources: [kasir], sinks: [json, gz, zst, raw] }"])
        let run = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let copies = workspace.url.appendingPathComponent("copies")
        try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)

        for (sink, ending) in [("gz", ".tar.gz"), ("zst", ".tar.zst"), ("raw", ".tar")] {
            let name = "auto-\(set.id)\(ending)"
            let archive = workspace.url.appendingPathComponent("usb/\(sink)/\(name)")
            let ok = try CLI.cadang.run(["verify", "--archive", archive.path], in: workspace.url)
            XCTAssertEqual(ok.status, 0, "\(sink): \(ok.stdout) \(ok.stderr)")
            XCTAssertTrue(ok.stdout.contains("ok"), ok.stdout)
            let (status, report) = try verifyArchive(archive, in: workspace.url)
            XCTAssertEqual(status, 0, sink)
            XCTAssertEqual(report.status, "ok", sink)
            XCTAssertEqual(report.id, set.id, sink)
            XCTAssertEqual(report.job, "auto", sink)
            XCTAssertEqual(report.files, set.artifacts.count, sink)
            XCTAssertTrue(report.sha256File, sink)

            let bytes = try Data(contentsOf: archive)
            // A copy (without its sidecar) with one byte flipped in the middle.
            let flipped = copies.appendingPathComponent("flipped-\(name)")
            try bytes.write(to: flipped)
            try flipByte(flipped, at: bytes.count / 2)
            let (flippedStatus, flippedReport) = try verifyArchive(flipped, in: workspace.url)
            XCTAssertEqual(flippedStatus, 4, "\(sink): a flipped byte: \(flippedReport)")
            XCTAssertEqual(flippedReport.status, "damaged", sink)
            XCTAssertNotNil(flippedReport.problem, sink)

            // A copy holding the first half only.
            let half = copies.appendingPathComponent("half-\(name)")
            try bytes.prefix(bytes.count / 2).write(to: half)
            let truncated = try CLI.cadang.run(["verify", "--archive", half.path], in: workspace.url)
            XCTAssertEqual(truncated.status, 4, "\(sink): truncated: \(truncated.stdout) \(truncated.stderr)")
            XCTAssertTrue(truncated.stdout.contains("DAMAGED") || truncated.stderr.contains("damaged"), truncated.stdout + truncated.stderr)

            // An intact archive whose sidecar names another digest.
            let other = copies.appendingPathComponent("sidecar-\(sink)")
            try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
            let copy = other.appendingPathComponent(name)
            try bytes.write(to: copy)
            let wrong = String(repeating: "0", count: 64)
            try Data("\(wrong)  \(name)\n".utf8).write(to: URL(fileURLWithPath: copy.path + ".sha256"))
            let (sidecarStatus, sidecarReport) = try verifyArchive(copy, in: workspace.url)
            XCTAssertEqual(sidecarStatus, 4, "\(sink): a sidecar that does not match: \(sidecarReport)")
            XCTAssertEqual(sidecarReport.status, "damaged", sink)
            XCTAssertTrue(sidecarReport.problem?.contains(".sha256") == true, "\(sidecarReport)")

            // An archive with bytes appended after its end, beside its real sidecar.
            let grown = copies.appendingPathComponent("grown-\(sink)")
            try FileManager.default.createDirectory(at: grown, withIntermediateDirectories: true)
            try (bytes + Data("appended".utf8)).write(to: grown.appendingPathComponent(name))
            try FileManager.default.copyItem(at: URL(fileURLWithPath: archive.path + ".sha256"),
                                             to: grown.appendingPathComponent(name + ".sha256"))
            let (grownStatus, grownReport) = try verifyArchive(grown.appendingPathComponent(name), in: workspace.url)
            XCTAssertEqual(grownStatus, 4, "\(sink): the archive differs from its .sha256: \(grownReport)")

            // The original is untouched by all this and still verifies.
            XCTAssertEqual(try verifyArchive(archive, in: workspace.url).0, 0, sink)
        }
    }

    // MARK: 7. Malicious archives

    /// Builds a gzip'd tar shaped like a real set archive from a set folder (its own manifest first,
    /// then every artifact), with one flaw. Arguments: flaw, set folder, output file, a folder
    /// outside the restore target (where absolute paths and links point).
    private static let maliciousArchive = #"""
        import gzip, hashlib, io, json, os, sys, tarfile
        case, setdir, out, outside = sys.argv[1:5]
        raw = open(os.path.join(setdir, 'manifest.json'), 'rb').read()
        manifest = json.loads(raw)
        sid = manifest['id']
        arts = manifest['artifacts']
        data = {a['path']: open(os.path.join(setdir, a['path']), 'rb').read() for a in arts}
        victim = arts[1]['path']
        extra = 50000
        if case == 'sha-mismatch':
            arts[1]['sha256'] = hashlib.sha256(b'not the file').hexdigest()
        if case == 'oversize':
            arts[-1]['bytes'] += extra
        if case in ('sha-mismatch', 'oversize'):
            raw = json.dumps(manifest, indent=2).encode()

        def member(name, size=0, kind=tarfile.REGTYPE, link=''):
            info = tarfile.TarInfo(name)
            info.size, info.type, info.linkname, info.mode, info.mtime = size, kind, link, 0o600, 1763700000
            if kind == tarfile.CHRTYPE:
                info.devmajor, info.devminor = 1, 3
            return info

        buffer = io.BytesIO()
        tar = tarfile.open(fileobj=buffer, mode='w', format=tarfile.USTAR_FORMAT)
        tar.addfile(member(f'{sid}/manifest.json', len(raw)), io.BytesIO(raw))
        header = None
        for index, artifact in enumerate(arts):
            if index == 1:
                bad = b'evil\n'
                if case == 'traversal':
                    tar.addfile(member('../evil.txt', len(bad)), io.BytesIO(bad))
                elif case == 'traversal-inside':
                    tar.addfile(member(f'{sid}/../../../evil.txt', len(bad)), io.BytesIO(bad))
                elif case == 'absolute':
                    tar.addfile(member(os.path.join(outside, 'evil.txt'), len(bad)), io.BytesIO(bad))
                elif case == 'symlink':
                    tar.addfile(member(f'{sid}/{victim}', kind=tarfile.SYMTYPE, link=os.path.join(outside, 'victim.txt')))
                elif case == 'hardlink':
                    tar.addfile(member(f'{sid}/{victim}', kind=tarfile.LNKTYPE, link=os.path.join(outside, 'victim.txt')))
                elif case == 'device':
                    tar.addfile(member(f'{sid}/{victim}', kind=tarfile.CHRTYPE))
            body = data[artifact['path']]
            if index == len(arts) - 1:
                header = buffer.tell()
            tar.addfile(member(f'{sid}/{artifact["path"]}', len(body)), io.BytesIO(body))
        tar.close()
        plain = bytearray(buffer.getvalue())
        if case == 'oversize':
            # The last entry's header claims more bytes than follow it (the manifest agrees with it).
            plain[header + 124:header + 136] = b'%011o\0' % (len(data[arts[-1]['path']]) + extra)
            plain[header + 148:header + 156] = b' ' * 8
            plain[header + 148:header + 156] = b'%06o\0 ' % sum(plain[header:header + 512])
        packed = gzip.compress(bytes(plain))
        if case == 'truncated':
            packed = packed[:len(packed) * 2 // 3]
        open(out, 'wb').write(packed)
        """#

    func testMaliciousArchivesAreRefusedAndWriteNothingAnywhere() throws {
        let workspace = try makeWorkspace()
        try configure(workspace, sinks: ["json: { plugin: json }"], jobs: ["auto: { sources: [kasir], sinks: [json] }"])
        let run = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        XCTAssertTrue(SetIDShape.isValid(set.id), set.id)
        let manifest = try self.manifest(workspace, set.id)
        XCTAssertGreaterThan(manifest.artifacts.count, 2)
        let source = setFolder(workspace, set.id)
        let outside = try newFolder("outside")
        let victim = outside.appendingPathComponent("victim.txt")
        try Data("victim\n".utf8).write(to: victim)
        let made = workspace.url.appendingPathComponent("made")
        try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
        let strayInTemp = FileManager.default.temporaryDirectory.appendingPathComponent("evil.txt")
        let strayExisted = FileManager.default.fileExists(atPath: strayInTemp.path)
        let database = Self.database(workspace)
        let liveDigest = try Independent.sha256(database.path)

        func build(_ flaw: String) throws -> URL {
            let archive = made.appendingPathComponent("\(flaw).tar.gz")
            _ = try Independent.python(Self.maliciousArchive, [flaw, source.path, archive.path, outside.path])
            XCTAssertTrue(FileManager.default.fileExists(atPath: archive.path), flaw)
            return archive
        }

        // The same builder without a flaw makes an archive cadang accepts: each flaw below is
        // what gets an archive refused.
        let valid = try build("valid")
        XCTAssertEqual(try verifyArchive(valid, in: workspace.url).0, 0, "the builder's unflawed archive verifies")
        let validOut = workspace.url.appendingPathComponent("valid-out")
        let restored = try CLI.cadang.run(["restore", "--from-archive", valid.path, "--to", validOut.path], in: workspace.url)
        XCTAssertEqual(restored.status, 0, restored.stderr)
        XCTAssertEqual(names(validOut), (["manifest.json"] + manifest.artifacts.map(\.path)).sorted())
        for artifact in manifest.artifacts {
            XCTAssertEqual(try Independent.sha256(validOut.appendingPathComponent(artifact.path).path), artifact.sha256)
        }

        for flaw in ["traversal", "traversal-inside", "absolute", "symlink", "hardlink", "device", "truncated", "oversize", "sha-mismatch"] {
            let archive = try build(flaw)
            // Run from inside a sentinel tree, into a folder two levels down, so that any path
            // climbing out of the target lands somewhere this test looks.
            let sentinel = workspace.url.appendingPathComponent("sentinel-\(flaw)")
            let here = sentinel.appendingPathComponent("here")
            let out = here.appendingPathComponent("deep/out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let before = tree(workspace.url)

            let extraction = try CLI.cadang.run(["restore", "--from-archive", archive.path, "--to", out.path], in: here)
            XCTAssertEqual(extraction.status, 4, "\(flaw): \(extraction.stdout) \(extraction.stderr)")
            XCTAssertTrue(extraction.stderr.contains("damaged or unsafe"), "\(flaw): \(extraction.stderr)")
            XCTAssertEqual(names(out), [], "\(flaw): nothing in the target, not even the staging folder")
            XCTAssertEqual(tree(workspace.url), before, "\(flaw): nothing written anywhere in the workspace")
            XCTAssertEqual(names(outside), ["victim.txt"], "\(flaw): nothing written at the absolute path")
            XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "victim\n", "\(flaw): the link target is untouched")
            XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: victim.path)[.referenceCount] as? NSNumber)?.intValue, 1, flaw)
            if !strayExisted {
                XCTAssertFalse(FileManager.default.fileExists(atPath: strayInTemp.path), "\(flaw): \(strayInTemp.path)")
            }

            let (status, report) = try verifyArchive(archive, in: here)
            XCTAssertEqual(status, 4, "\(flaw): verify --archive: \(report)")
            XCTAssertEqual(report.status, "damaged", flaw)

            // Restoring the live database from it is refused too, and changes nothing.
            let restore = try CLI.cadang.run(["restore", "--from-archive", archive.path, "--yes"], in: workspace.url)
            XCTAssertEqual(restore.status, 4, "\(flaw): \(restore.stdout) \(restore.stderr)")
            XCTAssertTrue(restore.stderr.contains("damaged or unsafe"), "\(flaw): \(restore.stderr)")
            XCTAssertEqual(try Independent.sha256(database.path), liveDigest, "\(flaw): the live database is unchanged")
            XCTAssertEqual(names(database.deletingLastPathComponent()), ["kasir.db"], "\(flaw): no staging folder left beside it")
            XCTAssertEqual(try workspace.listedSets(.cadang).map(\.job), ["auto"], "\(flaw): no before-restore set")
        }
    }

    /// The set id shape (36 characters, e.g. `20261121T195226.447347Z-39781b104be5`).
    private enum SetIDShape {
        static func isValid(_ id: String) -> Bool {
            id.range(of: #"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{12}$"#, options: .regularExpression) != nil
        }
    }

    // MARK: 8. SIGKILL at random points

    func testSIGKILLAtRandomPointsNeverLeavesADamagedArchiveUnderAFinalName() throws {
        // A database big enough that archiving (at a slow gzip level) is most of a run.
        let workspace = try makeWorkspace(products: 300, transactions: 15000)
        try configure(workspace, sinks: ["usb: { plugin: targz, path: ./usb/arsip, level: 9 }"],
                      jobs: ["auto: { sources: [kasir.database], sinks: [usb] }"])
        let folder = workspace.url.appendingPathComponent("usb/arsip")
        let started = Date()
        let first = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(first.status, 0, first.stderr)
        let duration = Date().timeIntervalSince(started)

        var verified: Set<String> = []
        func checkFinalArchives(_ label: String) throws {
            let finals = names(folder).filter { $0.hasSuffix(".tar.gz") && !verified.contains($0) }
            guard !finals.isEmpty else { return }
            let listed = Set(try workspace.listedSets(.cadang).map(\.id))
            for name in finals {
                verified.insert(name)
                let (status, report) = try verifyArchive(folder.appendingPathComponent(name), in: workspace.url)
                XCTAssertEqual(status, 0, "\(label): \(name): \(report)")
                XCTAssertTrue(report.sha256File, "\(label): \(name) has its .sha256")
                XCTAssertTrue(report.id.map(listed.contains) == true, "\(label): \(name) is of a committed set")
            }
        }
        try checkFinalArchives("the first run")

        var generator = SystemRandomNumberGenerator()
        var killedMidRun = 0
        // Rounds whose kill left a .partial: with catch-up, the next run may write the same set's
        // archive again, so names repeat.
        var killedWhileWriting = 0
        for round in 0..<30 {
            let process = try CLI.cadang.start(["run"], in: workspace.url)
            usleep(useconds_t(Double.random(in: (duration * 0.05)...(duration * 1.05), using: &generator) * 1_000_000))
            if process.isRunning { killedMidRun += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if names(folder).contains(where: { $0.hasSuffix(".partial") }) { killedWhileWriting += 1 }
            try checkFinalArchives("after kill \(round)")
        }
        XCTAssertGreaterThan(killedMidRun, 15, "most kills should land while the run is working")
        XCTAssertGreaterThan(killedWhileWriting, 3, "some kills should land while an archive is being written")

        let after = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(after.status, 0, after.stderr)
        try checkFinalArchives("the last run")
        XCTAssertEqual(names(folder).filter { $0.hasSuffix(".partial") }, [], "the next run sweeps what killed runs left")
        let last = try XCTUnwrap(try workspace.listedSets(.cadang).last)
        XCTAssertTrue(verified.contains("auto-\(last.id).tar.gz"), "the last run archived its set")
    }

    /// `--to DIR` never writes through a symbolic link that is already in DIR.
    func testExtractionRefusesLinksInTheTargetFolder() throws {
        let workspace = try makeWorkspace()
        try configure(workspace, sinks: ["usb: { plugin: targz, path: ./usb/arsip }"],
                      jobs: ["auto: { sources: [kasir.database], sinks: [usb] }"])
        XCTAssertEqual(try CLI.cadang.run(["run"], in: workspace.url).status, 0)
        let archive = try XCTUnwrap(names(workspace.url.appendingPathComponent("usb/arsip")).first { $0.hasSuffix(".tar.gz") })
        let outside = try newFolder("outside")
        let target = workspace.url.appendingPathComponent("pulih")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        // A dangling link where kasir.db would go: following it would create a file outside.
        try FileManager.default.createSymbolicLink(atPath: target.appendingPathComponent("kasir.db").path,
                                                   withDestinationPath: outside.appendingPathComponent("kasir.db").path)
        let result = try CLI.cadang.run(["restore", "--from-archive", "usb/arsip/\(archive)", "--to", "pulih"], in: workspace.url)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("is a symbolic link"), result.stderr)
        XCTAssertEqual(names(outside), [], "nothing written through the link")
        XCTAssertEqual(names(target), ["kasir.db"], "only the user's link; no staging folder left")
    }

    // MARK: 9. Disaster drill

    func testDisasterDrillRestoresTheDatabaseFromTheArchiveAlone() throws {
        let workspace = try makeWorkspace(products: 40, transactions: 300)
        try configure(workspace, sinks: ["json: { plugin: json }", "usb: { plugin: targz, path: ./usb/arsip }"],
                      jobs: ["auto: { sources: [kasir], sinks: [json, usb] }"])
        let run = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let snapshot = try XCTUnwrap(try manifest(workspace, set.id).artifacts.first { $0.path == "kasir.db" })
        let archive = workspace.url.appendingPathComponent("usb/arsip/auto-\(set.id).tar.gz")
        XCTAssertTrue(FileManager.default.fileExists(atPath: archive.path))

        // The computer's disk dies: the repository is gone and the live database is junk.
        try FileManager.default.removeItem(at: workspace.repository)
        let database = Self.database(workspace)
        var junk = Data(count: 200_000)
        for index in junk.indices { junk[index] = UInt8(truncatingIfNeeded: index &* 7919 &+ 13) }
        try junk.write(to: database)
        let junkDigest = try Independent.sha256(database.path)

        let restore = try CLI.cadang.run(["restore", "--from-archive", archive.path, "--yes"], in: workspace.url)
        XCTAssertEqual(restore.status, 0, restore.stdout + restore.stderr)
        XCTAssertEqual(try Independent.sha256(database.path), snapshot.sha256, "byte-identical to the archived snapshot")
        let integrity = try Self.tool(["sqlite3", database.path, "PRAGMA integrity_check"])
        XCTAssertEqual(integrity.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "ok", integrity.stderr)
        XCTAssertEqual(names(database.deletingLastPathComponent()), ["kasir.db"], "no staging folder left beside the database")

        let sets = try workspace.listedSets(.cadang)
        let safety = try XCTUnwrap(sets.first { $0.job == "before-restore" }, "the junk was saved first in a recreated repository")
        let saved = try XCTUnwrap(safety.artifacts.first { $0.dataset == "database" })
        XCTAssertEqual(try Independent.sha256(saved.path), junkDigest)
        // The saved junk is recorded as unchecked, so the recreated repository verifies clean.
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let check = try CLI.cadang.run(["verify", "--archive", archive.path], in: workspace.url)
        XCTAssertEqual(check.status, 0, "the archive is left as it was: \(check.stdout) \(check.stderr)")
    }

    // MARK: 10. The checks while writing and on the drive

    /// Each fault the sink's checks exist for, injected into the test binary (`cadang-harness`,
    /// `CADANG_HARNESS_ARCHIVE_FAULT`): the run fails with exit 4 and an error naming the archive,
    /// the set stays committed, and the archive folder holds nothing — no final name, no
    /// `.partial`, no `.sha256`. The same job without the fault then writes an archive that verifies.
    func testAFaultTheArchiveChecksCatchLeavesNothingUnderTheFinalName() throws {
        // About 4 MB of kasir.db: two gzip members, so threads: 2 compresses them at once.
        let workspace = try makeWorkspace(products: 200, transactions: 3000)
        try configure(workspace, sinks: ["gz: { plugin: targz, path: ./usb/gz, threads: 2 }",
                                         "zst: { plugin: targz, path: ./usb/zst, compression: zstd }",
                                         "raw: { plugin: targz, path: ./usb/raw, compression: none }"],
                      jobs: ["gz: { sources: [kasir.database], sinks: [gz] }",
                             "zst: { sources: [kasir.database], sinks: [zst] }",
                             "raw: { sources: [kasir.database], sinks: [raw] }"])
        let streamCheck = "failed its check while it was written"
        let cases: [(job: String, fault: String, expected: String)] = [
            ("gz", "compressed-byte", "gzip member 1 does not inflate"),
            ("gz", "wrong-member", "gzip member 1 inflates to other bytes than were compressed"),
            ("gz", "input-byte", "kasir.db does not match its SHA-256 in the manifest"),
            ("zst", "compressed-byte", streamCheck),
            ("zst", "input-byte", "kasir.db does not match its SHA-256 in the manifest"),
            ("raw", "input-byte", "kasir.db does not match its SHA-256 in the manifest"),
            ("gz", "drive-byte", "read back from the drive is not what was written"),
            ("zst", "drive-byte", "read back from the drive is not what was written"),
            ("raw", "drive-byte", "read back from the drive is not what was written"),
        ]
        var committed = 0
        for (job, fault, expected) in cases {
            let label = "\(job), \(fault)"
            let folder = workspace.url.appendingPathComponent("usb/\(job)")
            let run = try CLI.harness.run(["run", job, "--json"], in: workspace.url, environment: ["CADANG_HARNESS_ARCHIVE_FAULT": fault])
            committed += 1
            XCTAssertEqual(run.status, 4, "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(expected), "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("did not get its final name"), "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(folder.path + "/\(job)-"), "\(label): names the archive: \(run.stderr)")
            let report = try XCTUnwrap(try Self.reports(run).first, label)
            XCTAssertEqual(report["status"] as? String, "committed", label)
            XCTAssertEqual(names(folder), [], "\(label): no archive, no .partial, no .sha256")
            XCTAssertEqual(try workspace.listedSets(.cadang).count, committed, "\(label): the set is kept")
        }
        for job in ["gz", "zst", "raw"] {
            let run = try CLI.harness.run(["run", job], in: workspace.url)
            committed += 1
            XCTAssertEqual(run.status, 0, "\(job): \(run.stderr)")
            let folder = workspace.url.appendingPathComponent("usb/\(job)")
            let archive = try XCTUnwrap(names(folder).first { !$0.hasSuffix(".sha256") }, job)
            XCTAssertEqual(names(folder), [archive, archive + ".sha256"], job)
            let check = try Self.tool(["sha256sum", "-c", archive + ".sha256"], in: folder)
            XCTAssertEqual(check.status, 0, "\(job): \(check.stdout) \(check.stderr)")
            let (status, report) = try verifyArchive(folder.appendingPathComponent(archive), in: workspace.url)
            XCTAssertEqual(status, 0, "\(job): \(report)")
        }
        XCTAssertEqual(try workspace.listedSets(.cadang).count, committed)
        let verify = try CLI.cadang.run(["verify"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }
}
