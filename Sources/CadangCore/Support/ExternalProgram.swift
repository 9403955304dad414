import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program cadang calls (`systemctl`, `crontab`, `rclone`): the first of that name on `PATH`, so
/// an admin's (or a test's) own comes first; run without a shell, its arguments passed as they are.
public struct ExternalProgram: Sendable {
    /// What a finished call gave.
    public struct Output: Sendable {
        /// Exit status (128 + the signal when a signal ended it).
        public var status: Int32
        /// Standard output (empty when a consumer took it).
        public var stdout: String
        /// Standard error, cut at `ExternalProgram.errorLimit` bytes.
        public var stderr: String

        /// The first line of standard error, for one-line messages.
        public var reason: String {
            stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit status \(status)"
        }
    }

    /// Standard error kept per call: enough for any message, bounded for a program that chatters.
    public static let errorLimit = 64 << 10

    /// The program's name, as messages show it.
    public var name: String
    /// Its absolute path.
    public var path: String

    /// A program at a known path.
    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// The first executable `name` on `PATH`, or nil.
    public static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> ExternalProgram? {
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for folder in folders where !folder.isEmpty {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: path) {
                return ExternalProgram(name: name, path: path)
            }
        }
        return nil
    }

    /// Runs with `arguments` (and `input` on standard input), waiting for it to end.
    public func run(_ arguments: [String], input: String? = nil) throws -> Output {
        var bytes: [UInt8] = []
        var output = try run(arguments, input: input, standardOutput: { bytes.append(contentsOf: $0) })
        output.stdout = String(decoding: bytes, as: UTF8.self)
        return output
    }

    /// Runs with `arguments`, handing standard output to `consume` chunk by chunk as it arrives (so
    /// memory does not grow with it) and each line of standard error to `errorLine`, both on this
    /// thread. If `consume` throws, the program is stopped and the error rethrown. `input` is for
    /// short texts (a list of names, a crontab): it is written whole before any output is read.
    public func run(_ arguments: [String], input: String? = nil,
                    standardOutput consume: (UnsafeRawBufferPointer) throws -> Void,
                    errorLine: (String) -> Void = { _ in }) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), feed = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : feed
        do {
            try process.run()
        } catch {
            throw CadangError(.failure, "cannot start \(path): \(error.localizedDescription)", fix: "check that it is an executable program")
        }
        if let input {
            // A program that exits without reading its input must cost an EPIPE here, not cadang's life.
            _ = Self.ignoreBrokenPipes
            let fd = feed.fileHandleForWriting.fileDescriptor
            try? FileSystem.writeAll(fd, Array(input.utf8), path: "the standard input of \(name)")
            try? feed.fileHandleForWriting.close()
        }

        var failure: (any Error)?
        var errors: [UInt8] = []
        var line: [UInt8] = []
        func takeErrors(_ chunk: UnsafeRawBufferPointer) {
            errors.append(contentsOf: chunk.prefix(max(0, Self.errorLimit - errors.count)))
            for byte in chunk {
                if byte == UInt8(ascii: "\n") {
                    errorLine(String(decoding: line, as: UTF8.self))
                    line.removeAll(keepingCapacity: true)
                } else if line.count < Self.errorLimit {
                    line.append(byte)
                }
            }
        }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var streams = [out.fileHandleForReading.fileDescriptor, err.fileHandleForReading.fileDescriptor]
        while !streams.isEmpty {
            var polled = streams.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in polled where entry.revents != 0 {
                let n = read(entry.fd, buffer.baseAddress, size)
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                guard n > 0 else {
                    streams.removeAll { $0 == entry.fd }
                    continue
                }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                if entry.fd == err.fileHandleForReading.fileDescriptor {
                    takeErrors(chunk)
                } else if failure == nil {
                    // After a failed consumer the rest is still drained, so the stopped program can exit.
                    do { try consume(chunk) } catch {
                        failure = error
                        process.terminate()
                    }
                }
            }
        }
        if !line.isEmpty { errorLine(String(decoding: line, as: UTF8.self)) }
        process.waitUntilExit()
        if let failure { throw failure }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Output(status: status, stdout: "", stderr: String(decoding: errors, as: UTF8.self))
    }

    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()
}
