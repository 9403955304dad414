import Foundation
import XCTest

/// Runs the built `cadang` (or `cadang-harness`, which adds the test tree's `sample` source) as a
/// separate process, the way users and schedulers do.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The folder holding the built products (beside the test bundle).
    static let products: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if url.pathExtension == "xctest" || url.path.contains(".xctest/") {
            while url.path.contains(".xctest") { url.deleteLastPathComponent() }
        }
        return url
    }()

    /// `cadang` with only the built-in plugins.
    static let cadang = CLI(binary: products.appendingPathComponent("cadang"))
    /// `cadang` plus the `sample` test source.
    static let harness = CLI(binary: products.appendingPathComponent("cadang-harness"))

    let binary: URL

    /// `unset`: variables of this process's environment the child must not see.
    func process(_ arguments: [String], in directory: URL, environment: [String: String] = [:], unset: [String] = []) -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["CADANG_CONFIG"] = nil
        // The menu and init speak the locale's language: English unless a test sets one.
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] { env[name] = nil }
        env.merge(environment) { _, new in new }
        for name in unset { env[name] = nil }
        process.environment = env
        return process
    }

    /// Runs to completion and captures both streams.
    @discardableResult
    func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:], unset: [String] = [],
             input: String? = nil) throws -> Result {
        let process = process(arguments, in: directory, environment: environment, unset: unset)
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        let out = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
        // Empty files to write into; `write` throws where `createFile` would only return false.
        try Data().write(to: out)
        try Data().write(to: err)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Starts without waiting; output is discarded.
    func start(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Process {
        let process = process(arguments, in: directory, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// A temporary working folder with a config file.
final class Workspace {
    let url: URL

    init(config: String? = nil) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if let config { try write("cadang.yaml", config) }
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    var repository: URL { url.appendingPathComponent("backups") }

    /// `list --json`, decoded.
    func listedSets(_ cli: CLI = .harness) throws -> [ListedSet] {
        let result = try cli.run(["list", "--json"], in: url)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode([ListedSet].self, from: Data(result.stdout.utf8))
    }
}

/// The `list --json` shape of DESIGN.md §5.
struct ListedSet: Decodable {
    struct Artifact: Decodable {
        var path: String
        var dataset: String
        var format: String
        var bytes: Int64
        var rows: Int?
        var sha256: String
    }
    var id: String
    var job: String
    var time: String
    var status: String
    var artifacts: [Artifact]
}

/// Independent checks, through other programs than cadang.
enum Independent {
    /// SHA-256 by `sha256sum`.
    static func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    /// SHA-256 of a SQLite file with the header fields zeroed that every commit rewrites: the file
    /// change counter (bytes 24-27), the schema cookie (40-43), and the version-valid-for number
    /// and SQLite version (92-99). A restore through SQLite's backup API leaves every page of the
    /// snapshot as it is but commits, so it changes exactly these fields; they are how the app's
    /// open connections notice that the file changed. Equal digests: the same pages, byte for byte.
    static func pagesDigest(_ path: String) throws -> String {
        try python("""
            import hashlib, sys
            data = bytearray(open(sys.argv[1], 'rb').read())
            for start, end in ((24, 28), (40, 44), (92, 100)):
                data[start:end] = bytes(end - start)
            print(hashlib.sha256(data).hexdigest())
            """, [path]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a Python 3 snippet with arguments; returns its standard output.
    static func python(_ code: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python failed")
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts a Python process that holds a write lock (an open `BEGIN IMMEDIATE` transaction) on
    /// a SQLite database, as the app does mid-sale; returns once the lock is held.
    static func holdWriteLock(on database: URL) throws -> Process {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            con = sqlite3.connect(sys.argv[1], isolation_level=None)
            con.execute('BEGIN IMMEDIATE')
            con.execute("INSERT INTO kategori (nama) VALUES ('in progress')")
            print('locked', flush=True)
            time.sleep(30)
            """, database.path]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        _ = output.fileHandleForReading.availableData  // waits for "locked"
        return holder
    }

    /// Permission bits of a path.
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

/// Real tmpfs mounts, for a destination that is small, full, read-only or simply another
/// filesystem. Mounting needs root; the tests run as root, as CI does.
final class TmpfsMounts {
    private var mounted: [URL] = []

    /// Mounts a tmpfs with `options` (e.g. `size=256k`) at `url`, creating the folder.
    func mount(at url: URL, options: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(getuid(), 0, "mounting a tmpfs needs root (CI runs as root)", file: file, line: line)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        XCTAssertEqual(try Self.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", url.path]), 0, "mount failed", file: file, line: line)
        mounted.append(url)
    }

    /// Unmounts everything this object mounted, newest first.
    func unmountAll() {
        for url in mounted.reversed() { _ = try? Self.run(["umount", url.path]) }
        mounted = []
    }

    private static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
