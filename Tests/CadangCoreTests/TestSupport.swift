import CadangCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A test case with a fresh temporary folder per test, removed in tearDown.
class TemporaryFolderTestCase: XCTestCase {
    /// The folder of the current test.
    var root: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("cadang-core-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let root { try? FileManager.default.removeItem(at: root) }
        root = nil
        try super.tearDownWithError()
    }

    /// A repository at `<root>/repo` (not created yet).
    func makeRepository(_ name: String = "repo") -> Repository {
        Repository(url: root.appendingPathComponent(name, isDirectory: true))
    }
}

/// SplitMix64: a small deterministic generator for reproducible random inputs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Result of running a command.
struct CommandResult {
    var status: Int32
    var reason: Process.TerminationReason
    var stdout: String
    var stderr: String
}

/// Runs a program (looked up on PATH through /usr/bin/env unless absolute) and collects its output.
func runCommand(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> CommandResult {
    let process = Process()
    if program.hasPrefix("/") {
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
    }
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Read stderr on another thread so neither pipe can fill up and block the child.
    let errorBox = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errorBox.data = errors.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, reason: process.terminationReason,
                         stdout: String(decoding: data, as: UTF8.self),
                         stderr: String(decoding: errorBox.data, as: UTF8.self))
}

final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// The digest `sha256sum` prints for a file.
func sha256sum(_ url: URL) throws -> String {
    let result = try runCommand("sha256sum", [url.path])
    guard result.status == 0 else { throw CadangError(.failure, "sha256sum failed: \(result.stderr)") }
    return String(result.stdout.prefix(64))
}

/// Permission bits of a path (lstat).
func permissions(_ url: URL) -> UInt32? {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return nil }
    return UInt32(info.st_mode) & 0o777
}

/// Names inside a folder, sorted; empty when missing.
func listing(_ url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
}

/// The bytes of a file.
func contents(_ url: URL) throws -> [UInt8] {
    Array(try Data(contentsOf: url))
}

/// Asserts that `body` throws a `CadangError` with `status`; returns it for further checks.
@discardableResult
func assertCadangError<T>(_ status: ExitStatus, _ message: String = "",
                          file: StaticString = #filePath, line: UInt = #line,
                          _ body: () throws -> T) -> CadangError? {
    do {
        _ = try body()
        XCTFail("expected CadangError(\(status)) but nothing was thrown. \(message)", file: file, line: line)
        return nil
    } catch let error as CadangError {
        XCTAssertEqual(error.status, status, "wrong status for: \(error.description). \(message)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected CadangError(\(status)) but got \(error). \(message)", file: file, line: line)
        return nil
    }
}

/// A fixed UTC date from components.
func utcDate(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
             micros: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let whole = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    return Date(timeIntervalSince1970: whole.timeIntervalSince1970 + Double(micros) / 1_000_000)
}
