import AgeSupport
import CZlib
import Crypto
import Foundation
import XCTest

/// Shared helpers for the AgeSupport tests.
enum TestSupport {
    /// The package root: this file is at <root>/Tests/AgeSupportTests/TestSupport.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The CCTV vectors live beside the repository, in <repo>/../shared/ops/age-testdata.
    static let vectorsDirectory = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/ops/age-testdata")

    static func sha256Hex<C: DataProtocol>(_ bytes: C) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Inflates a zlib stream (some vectors are stored compressed).
    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TestFailure("inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while status != Z_STREAM_END {
                try chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else { throw TestFailure("inflate failed: \(status)") }
                    output.append(contentsOf: outBuf[..<(outBuf.count - Int(stream.avail_out))])
                }
            }
        }
        return output
    }

    /// Decrypts `ciphertext`, feeding it in pieces of `piece` bytes; returns the plaintext.
    static func decrypt(_ ciphertext: [UInt8], identities: [AgeIdentity], passphrase: String? = nil,
                        piece: Int = 1 << 20) throws -> [UInt8] {
        let decryptor = AgeDecryptor(identities: identities, passphrase: passphrase.map { p in { p } })
        var plaintext = [UInt8]()
        let collect: (UnsafeRawBufferPointer) throws -> Void = { plaintext.append(contentsOf: $0) }
        try ciphertext.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let end = min(offset + piece, raw.count)
                try decryptor.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end]), plaintext: collect)
                offset = end
            }
        }
        try decryptor.finish(plaintext: collect)
        return plaintext
    }

    /// Encrypts `plaintext`, feeding it in pieces of `piece` bytes.
    static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient], piece: Int = 1 << 20) throws -> [UInt8] {
        var out = [UInt8]()
        let encryptor = try AgeEncryptor(recipients: recipients) { out.append(contentsOf: $0) }
        try plaintext.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let end = min(offset + piece, raw.count)
                try encryptor.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
                offset = end
            }
        }
        try encryptor.finish()
        return out
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        var out = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            var v = rng.next()
            for _ in 0..<8 where i < count {
                out[i] = UInt8(v & 0xFF)
                v >>= 8
                i += 1
            }
        }
        return out
    }

    /// The error class names used by the CCTV vectors' `expect:` lines.
    static func vectorClass(of error: any Error) -> String {
        guard let age = error as? AgeError else { return "other: \(error)" }
        switch age {
        case .headerFailure, .workFactorTooHigh: return "header failure"
        case .hmacFailure: return "HMAC failure"
        case .noMatchingIdentity, .wrongPassphrase: return "no match"
        case .payloadFailure, .truncated, .trailingData: return "payload failure"
        default: return "other: \(age)"
        }
    }

    // MARK: - Processes

    /// Finds an executable on PATH.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct ProcessResult {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    @discardableResult
    static func run(_ executable: String, _ args: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read stderr in the background so neither pipe can fill up and block the child.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: Array(stdout),
                             stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    final class DataBox: @unchecked Sendable { var data = Data() }

    /// Runs a command under a pseudo-terminal, answering every passphrase prompt with `passphrase`.
    /// age reads passphrases from the terminal only, so a pty is the only way to script it.
    static func runWithPassphrase(_ argv: [String], passphrase: String) throws -> ProcessResult {
        guard let python = which("python3") else { throw TestFailure("python3 not found on PATH") }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Terminal/answer_passphrase.py").path
        return try run(python, [script] + argv, environment: ["AGE_TEST_PASSPHRASE": passphrase])
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agesupport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Resets the kernel's peak-RSS mark (VmHWM), so earlier tests' peaks (e.g. scrypt) do not hide growth.
    static func resetPeakRSS() throws {
        try Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    /// Peak resident set size since the last reset, from /proc/self/status (VmHWM).
    static func peakRSSBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "") else {
            throw TestFailure("no VmHWM in /proc/self/status")
        }
        return kib * 1024
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
