import CadangCore
import Foundation

/// A tool the schedule commands call (`systemctl`, `crontab`): the first of that name on `PATH`,
/// so an admin's (or a test's) own comes first.
struct ExternalCommand {
    /// What a finished call gave.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The first line of standard error, for one-line messages.
        var reason: String {
            stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit status \(status)"
        }
    }

    /// The tool's name, as messages show it.
    var name: String
    /// Its absolute path.
    var path: String

    /// The first executable `name` on `PATH`, or nil.
    static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> ExternalCommand? {
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for folder in folders where !folder.isEmpty {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: path) {
                return ExternalCommand(name: name, path: path)
            }
        }
        return nil
    }

    /// `name`, or an error saying it is not installed (`fix` says what to do instead).
    static func require(_ name: String, fix: String) throws -> ExternalCommand {
        guard let found = find(name) else { throw CadangError(.failure, "\(name) is not on PATH", fix: fix) }
        return found
    }

    /// Runs with `arguments` (and `input` on standard input), waiting for it to end.
    func run(_ arguments: [String], input: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do {
            try process.run()
        } catch {
            throw CadangError(.failure, "cannot start \(path): \(error.localizedDescription)", fix: "check that it is an executable program")
        }
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        // Standard error is drained on another thread so neither pipe fills up and blocks the tool.
        let errors = LockedData()
        let reader = Thread { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: errors.wait(), as: UTF8.self))
    }

    /// Runs and throws unless it exits 0: "`name args` failed: reason".
    @discardableResult
    func check(_ arguments: [String], input: String? = nil, fix: String? = nil) throws -> Output {
        let output = try run(arguments, input: input)
        guard output.status == 0 else {
            throw CadangError(.failure, "\(([name] + arguments).joined(separator: " ")) failed: \(output.reason)", fix: fix)
        }
        return output
    }
}

/// Bytes handed from a reader thread, waited for once.
private final class LockedData: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}
