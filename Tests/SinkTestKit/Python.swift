import Foundation

/// Runs `python3 -c script arguments…` and decodes its standard output (JSON) as `T`; throws with
/// Python's standard error when it exits non-zero. Python's parsers are the independent readers.
public func runPython<T: Decodable>(_ type: T.Type, _ script: String, _ arguments: [String]) throws -> T {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonFailure(status: process.terminationStatus, stderr: String(decoding: message, as: UTF8.self))
    }
    return try JSONDecoder().decode(T.self, from: data)
}

/// Python exited non-zero.
public struct PythonFailure: Error, CustomStringConvertible {
    /// Exit status.
    public var status: Int32
    /// What it printed on standard error.
    public var stderr: String
    public var description: String { "python3 exited with status \(status):\n\(stderr)" }
}
