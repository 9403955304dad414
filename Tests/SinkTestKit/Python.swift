import Foundation

/// Runs `python3 -c script arguments…` and decodes its standard output (JSON) as `T`; throws with
/// Python's standard error when it exits non-zero. Python's parsers are the independent readers.
public func runPython<T: Decodable>(_ type: T.Type, _ script: String, _ arguments: [String]) throws -> T {
    try JSONDecoder().decode(T.self, from: try pythonOutput(script, arguments))
}

/// Standard output of `python3 -c script arguments…`; throws with standard error on failure.
func pythonOutput(_ script: String, _ arguments: [String]) throws -> Data {
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
    return data
}

/// Python exited non-zero.
public struct PythonFailure: Error, CustomStringConvertible {
    /// Exit status.
    public var status: Int32
    /// What it printed on standard error.
    public var stderr: String
    /// The status and what Python printed, for failure messages.
    public var description: String { "python3 exited with status \(status):\n\(stderr)" }
}

/// Runs `python3 -c script arguments…` and decodes each line of its standard output (one JSON
/// value per line, so a reader can print rows as it parses them) as `T`.
public func runPythonLines<T: Decodable>(_ type: T.Type, _ script: String, _ arguments: [String]) throws -> [T] {
    let decoder = JSONDecoder()
    return try Array(try pythonOutput(script, arguments)).split(separator: 10).map { try decoder.decode(T.self, from: Data($0)) }
}

/// Python helpers for readers, to put before a reader's script.
public enum PythonReaders {
    /// Defines `tag(value)`, which prints a parsed value in the form `ReadValue(tagged:)` decodes:
    /// `None` → `null`, `int` → `int:…`, `float` → `float:<bits>`, `str` → `str:<UTF-8 hex>`,
    /// `bytes` → `bytes:<hex>`; anything else (a bool, a nested list) raises, so a reader never
    /// passes on a type the format should not hold.
    public static let prelude = """
        import json, struct, sys
        def tag(v):
            if v is None: return 'null'
            if v is True or v is False: raise ValueError('unexpected boolean %r' % (v,))
            if isinstance(v, int): return 'int:%d' % v
            if isinstance(v, float): return 'float:' + struct.pack('>d', v).hex()
            if isinstance(v, str): return 'str:' + v.encode('utf-8').hex()
            if isinstance(v, bytes): return 'bytes:' + v.hex()
            raise ValueError('unexpected value %r' % (v,))
        def emit(line):
            sys.stdout.write(json.dumps(line) + '\\n')

        """
}
