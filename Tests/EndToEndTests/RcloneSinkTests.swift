import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The `rclone` sink (ops §4) through the shipped binary, against real rclone servers on loopback
/// (`rclone serve webdav`, which keeps no hashes, so copies are checked by reading them back, and
/// `rclone serve sftp`, which gives MD5 and SHA-1). What arrives is compared byte for byte in the
/// server's own folder.
final class RcloneSinkTests: XCTestCase {
    /// One `rclone serve` on 127.0.0.1, serving `folder`; stopped by `stop()` or at the latest on deinit.
    final class Server {
        enum Kind: String { case webdav, sftp }

        let kind: Kind
        let folder: URL
        let port: Int
        private let log: URL
        private var process: Process?

        init(_ kind: Kind, in workspace: Workspace) throws {
            self.kind = kind
            folder = workspace.url.appendingPathComponent("server-\(kind.rawValue)")
            log = workspace.url.appendingPathComponent("server-\(kind.rawValue).log")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            port = try Self.freePort()
        }

        deinit { stop() }

        func start(file: StaticString = #filePath, line: UInt = #line) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/rclone")
            var arguments = ["serve", kind.rawValue, folder.path, "--addr", "127.0.0.1:\(port)", "--user", "u", "--pass", "p",
                             "--config", "/dev/null"]
            // The tests change the served folder behind the server's back; a real server has no cache to go stale.
            arguments += ["--dir-cache-time", "0s"]
            process.arguments = arguments
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            handle.seekToEndOfFile()
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            self.process = process
            let deadline = Date().addingTimeInterval(15)
            while !Self.accepts(port) {
                guard Date() < deadline, process.isRunning else {
                    XCTFail("rclone serve \(kind) did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")", file: file, line: line)
                    return
                }
                usleep(20_000)
            }
        }

        func stop() {
            guard let process else { return }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            self.process = nil
        }

        /// The remote's folder as the server stores it.
        var remoteFolder: URL { folder.appendingPathComponent("Cadang/Toko") }

        /// `RCLONE_CONFIG_OFFSITE_*`: the remote `offsite:` for cadang's rclone, password obscured.
        func environment(in workspace: Workspace) -> [String: String] {
            var variables = ["RCLONE_CONFIG": workspace.url.appendingPathComponent("no-rclone.conf").path,
                             "RCLONE_CONFIG_OFFSITE_TYPE": kind.rawValue, "RCLONE_CONFIG_OFFSITE_USER": "u",
                             "RCLONE_CONFIG_OFFSITE_PASS": RcloneSinkTests.obscuredPassword]
            switch kind {
            case .webdav:
                variables["RCLONE_CONFIG_OFFSITE_URL"] = "http://127.0.0.1:\(port)"
            case .sftp:
                variables["RCLONE_CONFIG_OFFSITE_HOST"] = "127.0.0.1"
                variables["RCLONE_CONFIG_OFFSITE_PORT"] = String(port)
                variables["RCLONE_CONFIG_OFFSITE_SHELL_TYPE"] = "unix"
            }
            return variables
        }

        private static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw NSError(domain: "socket", code: Int(errno)) }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                    guard bind(fd, pointer, length) == 0 else { return -1 }
                    return getsockname(fd, pointer, &length)
                }
            }
            guard bound == 0 else { throw NSError(domain: "bind", code: Int(errno)) }
            return Int(UInt16(bigEndian: address.sin_port))
        }

        private static func accepts(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
        }
    }

    static let obscuredPassword: String = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/rclone")
        process.arguments = ["obscure", "p"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    private var servers: [Server] = []

    override func tearDown() {
        for server in servers { server.stop() }
        servers = []
    }

    // MARK: Helpers

    /// The config: the `sample` source, a `targz` sink in ./usb and the `rclone` sink (listed
    /// first, to prove it still runs after the sink it copies), with `extra` options of its own.
    static func config(extra: String = "", offsite: Bool = true) -> String {
        """
        repository: ./backups
        sources:
          gen: { plugin: sample, rows: 300, tables: [items], file_bytes: 200000 }
        sinks:
          usb: { plugin: targz, path: ./usb }
          offsite: { plugin: rclone, archives: usb, remote: "offsite:Cadang/Toko", timeout: 2s\(extra) }
        jobs:
          auto: { sources: [gen], sinks: [\(offsite ? "offsite, " : "")usb] }

        """
    }

    private func makeWorkspace(_ kind: Server.Kind, extra: String = "", start: Bool = true) throws -> (Workspace, Server) {
        let workspace = try Workspace(config: Self.config(extra: extra))
        let server = try Server(kind, in: workspace)
        servers.append(server)
        if start { try server.start() }
        return (workspace, server)
    }

    @discardableResult
    private func run(_ workspace: Workspace, _ server: Server, status: Int32, verbose: Bool = false,
                     file: StaticString = #filePath, line: UInt = #line) throws -> CLI.Result {
        let started = Date()
        let result = try CLI.harness.run(["run", "auto"] + (verbose ? ["--verbose"] : []), in: workspace.url,
                                         environment: server.environment(in: workspace))
        XCTAssertEqual(result.status, status, result.stdout + result.stderr, file: file, line: line)
        XCTAssertFalse(result.stderr.contains(Self.obscuredPassword), "no password in the log: \(result.stderr)", file: file, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "a run never hangs on the remote", file: file, line: line)
        return result
    }

    /// Names of the local archives (and sidecars) in ./usb.
    private func localFiles(_ workspace: Workspace) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: workspace.url.appendingPathComponent("usb").path)) ?? []).sorted()
    }

    private func remoteFiles(_ server: Server) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: server.remoteFolder.path)) ?? []).sorted()
    }

    /// Every local archive and sidecar is on the server with the same bytes.
    private func assertRemoteHoldsEveryArchive(_ workspace: Workspace, _ server: Server, count: Int,
                                               file: StaticString = #filePath, line: UInt = #line) throws {
        let local = localFiles(workspace)
        XCTAssertEqual(local.filter { $0.hasSuffix(".tar.gz") }.count, count, "\(local)", file: file, line: line)
        XCTAssertEqual(remoteFiles(server), local, file: file, line: line)
        for name in local {
            let mine = try Data(contentsOf: workspace.url.appendingPathComponent("usb/\(name)"))
            let theirs = try Data(contentsOf: server.remoteFolder.appendingPathComponent(name))
            XCTAssertEqual(mine, theirs, "\(name) arrived as it is", file: file, line: line)
        }
    }

    private var newestArchive: (Workspace) -> String {
        { workspace in self.localFiles(workspace).filter { $0.hasSuffix(".tar.gz") }.last ?? "" }
    }

    // MARK: 1. Arrives and is verified

    func testTheArchiveArrivesVerifiedOverWebDAV() throws {
        try arrivesVerified(.webdav)
    }

    func testTheArchiveArrivesVerifiedOverSFTP() throws {
        try arrivesVerified(.sftp)
    }

    private func arrivesVerified(_ kind: Server.Kind) throws {
        let (workspace, server) = try makeWorkspace(kind)
        let first = try run(workspace, server, status: 0, verbose: true)
        try assertRemoteHoldsEveryArchive(workspace, server, count: 1)
        let archive = newestArchive(workspace)
        let method = kind == .webdav ? "verified by reading it back" : "verified by its sha1 on the remote"
        XCTAssertTrue(first.stderr.contains("copied \(archive) to offsite:Cadang/Toko"), first.stderr)
        XCTAssertTrue(first.stderr.contains(method), first.stderr)
        // The sidecar is what `sha256sum -c` reads, on the server too.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["sha256sum", "--quiet", "-c", archive + ".sha256"]
        check.currentDirectoryURL = server.remoteFolder
        try check.run()
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0)

        // The record: one file per archive, 0600, in a 0700 folder of the repository.
        let records = workspace.repository.appendingPathComponent("copies/offsite")
        XCTAssertEqual(try Independent.mode(records.path), 0o700)
        let record = records.appendingPathComponent(archive + ".json")
        XCTAssertEqual(try Independent.mode(record.path), 0o600)
        let fields = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: record)) as? [String: Any])
        XCTAssertEqual(fields["remote"] as? String, "offsite:Cadang/Toko")
        XCTAssertEqual(fields["sha256"] as? String, try Independent.sha256(workspace.url.appendingPathComponent("usb/\(archive)").path))

        // The next run copies the new archive and checks the first one again.
        let second = try run(workspace, server, status: 0, verbose: true)
        try assertRemoteHoldsEveryArchive(workspace, server, count: 2)
        XCTAssertTrue(second.stderr.contains("copy offsite:Cadang/Toko/\(archive) verified again"), second.stderr)
        XCTAssertEqual(try workspace.listedSets().count, 2)
    }

    // MARK: 2. A different file under the name is never overwritten

    func testADifferentFileOnTheRemoteIsNeverOverwritten() throws {
        let (workspace, server) = try makeWorkspace(.webdav)
        // A set archived while the job had no off-site copy yet; then someone else's file, of the
        // same size, appears under its name on the remote (rclone itself would take it for the same).
        try workspace.write("cadang.yaml", Self.config(offsite: false))
        try run(workspace, server, status: 0)
        let archive = newestArchive(workspace)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: workspace.url.appendingPathComponent("usb/\(archive)").path)[.size] as? Int)
        let foreign = Data(repeating: 0x5a, count: size)
        try FileManager.default.createDirectory(at: server.remoteFolder, withIntermediateDirectories: true)
        try foreign.write(to: server.remoteFolder.appendingPathComponent(archive))

        try workspace.write("cadang.yaml", Self.config())
        for _ in 0..<2 {
            let result = try run(workspace, server, status: 3)
            XCTAssertTrue(result.stderr.contains("a different file is already on the remote as offsite:Cadang/Toko/\(archive); it was not overwritten"), result.stderr)
            XCTAssertEqual(try Data(contentsOf: server.remoteFolder.appendingPathComponent(archive)), foreign, "the remote file is unchanged")
        }
        XCTAssertEqual(try workspace.listedSets().count, 3, "every set is kept")
        XCTAssertFalse(remoteFiles(server).contains(archive + ".sha256"), "nothing of that archive was uploaded")
        // The newer archives went through all the same.
        XCTAssertEqual(remoteFiles(server).filter { $0.hasSuffix(".tar.gz") }.count, 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.repository.appendingPathComponent("copies/offsite/\(archive).json").path))
    }

    func testAnArchiveDamagedOnTheDriveIsNotUploaded() throws {
        let (workspace, server) = try makeWorkspace(.webdav)
        try workspace.write("cadang.yaml", Self.config(offsite: false))
        try run(workspace, server, status: 0)
        let archive = newestArchive(workspace)
        let url = workspace.url.appendingPathComponent("usb/\(archive)")
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0xff
        try bytes.write(to: url)

        try workspace.write("cadang.yaml", Self.config())
        let result = try run(workspace, server, status: 3)
        XCTAssertTrue(result.stderr.contains("archive \(url.standardizedFileURL.path) no longer has the SHA-256 in its \(archive).sha256"), result.stderr)
        XCTAssertFalse(remoteFiles(server).contains(archive), "a damaged archive is never uploaded")
        XCTAssertEqual(remoteFiles(server).filter { $0.hasSuffix(".tar.gz") }.count, 1, "the new set's archive is")
    }

    // MARK: 3. A day offline repairs itself

    func testAStoppedWebDAVServerFailsTwoRunsAndTheThirdCopiesAll() throws {
        try offlineThenBack(.webdav)
    }

    func testAStoppedSFTPServerFailsTwoRunsAndTheThirdCopiesAll() throws {
        try offlineThenBack(.sftp)
    }

    private func offlineThenBack(_ kind: Server.Kind) throws {
        let (workspace, server) = try makeWorkspace(kind, start: false)
        for _ in 0..<2 {
            let result = try run(workspace, server, status: 3)
            XCTAssertTrue(result.stderr.contains("cannot list offsite:Cadang/Toko"), result.stderr)
            XCTAssertTrue(result.stderr.contains("connection refused"), result.stderr)
        }
        XCTAssertEqual(try workspace.listedSets().count, 2, "both sets are kept")
        XCTAssertEqual(localFiles(workspace).filter { $0.hasSuffix(".tar.gz") }.count, 2)
        try server.start()
        let result = try run(workspace, server, status: 0)
        XCTAssertTrue(result.stderr.contains("copying 3 archives of job 'auto' to offsite:Cadang/Toko, 2 of them from earlier runs"), result.stderr)
        try assertRemoteHoldsEveryArchive(workspace, server, count: 3)
    }

    // MARK: 4. A copy damaged on the remote

    func testACopyDamagedOnTheWebDAVServerIsFoundAndNotOverwritten() throws {
        try damagedOnTheRemote(.webdav)
    }

    func testACopyDamagedOnTheSFTPServerIsFoundAndNotOverwritten() throws {
        try damagedOnTheRemote(.sftp)
    }

    /// The next run checks the copy verified longest ago again (`recheck: 1`): a changed byte of the
    /// same size is found, the run exits 3 naming the file and the copy no longer counts as done;
    /// every run reports it, never overwriting it, until it is deleted there; then it is copied again.
    private func damagedOnTheRemote(_ kind: Server.Kind) throws {
        let (workspace, server) = try makeWorkspace(kind)
        try run(workspace, server, status: 0)
        let archive = newestArchive(workspace)
        let remote = server.remoteFolder.appendingPathComponent(archive)
        var bytes = try Data(contentsOf: remote)
        bytes[bytes.count / 3] ^= 0x01
        try bytes.write(to: remote)
        let record = workspace.repository.appendingPathComponent("copies/offsite/\(archive).json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: record.path))

        let second = try run(workspace, server, status: 3)
        XCTAssertTrue(second.stderr.contains("the copy offsite:Cadang/Toko/\(archive) no longer matches archive"), second.stderr)
        XCTAssertTrue(second.stderr.contains("deletefile offsite:Cadang/Toko/\(archive)"), "the fix names the file: \(second.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: record.path), "a damaged copy is not counted as done")
        XCTAssertEqual(try Data(contentsOf: remote), bytes, "and not overwritten")

        let third = try run(workspace, server, status: 3)
        XCTAssertTrue(third.stderr.contains("a different file is already on the remote as offsite:Cadang/Toko/\(archive)"), third.stderr)
        XCTAssertEqual(try Data(contentsOf: remote), bytes)
        XCTAssertEqual(try workspace.listedSets().count, 3)

        try FileManager.default.removeItem(at: remote)
        try run(workspace, server, status: 0)
        try assertRemoteHoldsEveryArchive(workspace, server, count: 4)
        XCTAssertTrue(FileManager.default.fileExists(atPath: record.path))
    }

    // MARK: 5. Pruning touches Cadang's files only

    func testKeepRulesPruneOnlyCadangsArchivesOnTheRemote() throws {
        let (workspace, server) = try makeWorkspace(.webdav, extra: ", keep_last: 2")
        try FileManager.default.createDirectory(at: server.remoteFolder, withIntermediateDirectories: true)
        let foreign = ["notes.txt", "auto-holiday.tar.gz", "other-20200101T000000.000000Z-0123456789ab.tar.gz",
                       "auto-20200101T000000.000000Z-0123456789ab.tar.gz.bak"]
        for name in foreign { try Data("someone else's \(name)\n".utf8).write(to: server.remoteFolder.appendingPathComponent(name)) }

        for _ in 0..<3 { try run(workspace, server, status: 0) }
        let archives = localFiles(workspace).filter { $0.hasSuffix(".tar.gz") }
        XCTAssertEqual(archives.count, 3, "the targz sink keeps all (no rules of its own)")
        let kept = archives.suffix(2).flatMap { [$0, $0 + ".sha256"] }
        XCTAssertEqual(remoteFiles(server), (kept + foreign).sorted())
        for name in foreign {
            XCTAssertEqual(try String(contentsOf: server.remoteFolder.appendingPathComponent(name), encoding: .utf8), "someone else's \(name)\n")
        }
        // The pruned archive is not uploaded again by later runs.
        try run(workspace, server, status: 0)
        let now = localFiles(workspace).filter { $0.hasSuffix(".tar.gz") }
        XCTAssertEqual(remoteFiles(server), (now.suffix(2).flatMap { [$0, $0 + ".sha256"] } + foreign).sorted())
    }

    // MARK: 6. Installation and config errors

    func testWithoutRcloneTheRunExits2AndKeepsTheSet() throws {
        let (workspace, server) = try makeWorkspace(.webdav, start: false)
        let empty = workspace.url.appendingPathComponent("empty-bin")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        var environment = server.environment(in: workspace)
        environment["PATH"] = empty.path
        let result = try CLI.harness.run(["run", "auto"], in: workspace.url, environment: environment)
        XCTAssertEqual(result.status, 2, result.stderr)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("rclone") }
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(lines.first?.contains("rclone is not installed") == true, result.stderr)
        XCTAssertTrue(lines.first?.contains("apt-get install rclone") == true, result.stderr)
        XCTAssertEqual(try workspace.listedSets().count, 1, "the set is kept")
    }

    func testAnRcloneConfigOthersCanReadIsRefused() throws {
        let (workspace, server) = try makeWorkspace(.webdav, extra: ", rclone_config: ./rclone.conf")
        try workspace.write("rclone.conf", "[unused]\ntype = local\n")
        let file = workspace.url.appendingPathComponent("rclone.conf").path
        XCTAssertEqual(chmod(file, 0o644), 0)
        let refused = try run(workspace, server, status: 2)
        XCTAssertTrue(refused.stderr.contains("has mode 644"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("chmod 600 \(URL(fileURLWithPath: file).standardizedFileURL.path)"), refused.stderr)
        XCTAssertEqual(chmod(file, 0o600), 0)
        // With its own config file, the RCLONE_CONFIG_OFFSITE_* variables still define the remote.
        try run(workspace, server, status: 0)
        try assertRemoteHoldsEveryArchive(workspace, server, count: 2)
    }

    func testConfigCheckRejectsBadOptionsAndArchivesWithTheirPosition() throws {
        let lines = [
            "repository: ./backups",
            "sources:",
            "  gen: { plugin: sample, rows: 5 }",
            "sinks:",
            "  usb: { plugin: targz, path: ./usb }",
            "  excel: { plugin: csv }",
            "  a: { plugin: rclone, archives: excel, remote: \"x:y\" }",
            "  b: { plugin: rclone, archives: usbb, remote: \"x:y\" }",
            "  c: { plugin: rclone, archives: usb, remote: \"x:y\", colour: red }",
            "  d: { plugin: rclone, archives: usb, remote: \":webdav,url='http://h',pass=abc:y\" }",
            "  e: { plugin: rclone, archives: usb, remote: \"x:y\" }",
            "  f: { plugin: rclone, remote: \"x:y\" }",
            "jobs:",
            "  one: { sources: [gen], sinks: [usb, excel, a, b] }",
            "  two: { sources: [gen], sinks: [e] }",
        ]
        let workspace = try Workspace(config: lines.joined(separator: "\n") + "\n")
        let result = try CLI.harness.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(result.status, 2, result.stderr)
        func at(_ line: Int, _ text: String) -> String {
            let column = (lines[line - 1].range(of: text).map { lines[line - 1].distance(from: lines[line - 1].startIndex, to: $0.lowerBound) } ?? -1) + 1
            return "cadang.yaml:\(line):\(column): "
        }
        let expected = [
            at(7, "excel,") + "option 'archives' of sink 'a' names sink 'excel' (csv), which makes no archives; name a sink that makes archives: usb",
            at(8, "usbb") + "option 'archives' of sink 'b' names 'usbb', which is not defined under 'sinks:'",
            at(9, "colour") + "unknown option 'colour' for sink 'c' (rclone)",
            at(10, "remote") + "option 'remote' of sink 'd' holds a secret (pass)",
            at(12, "f:") + "sink 'f' (rclone) needs the option 'archives'",
            at(15, "e]") + "job 'two' lists sink 'e', which copies the archives of sink 'usb', but not 'usb' itself",
        ]
        for line in expected {
            XCTAssertTrue(result.stderr.contains(line), "\(line)\nin:\n\(result.stderr)")
        }
        XCTAssertFalse(result.stderr.contains("abc"), "a secret is not repeated: \(result.stderr)")
    }
}
