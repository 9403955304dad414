import CadangCore
import Foundation

/// The rclone calls the sink makes, against one remote folder. Every call gets the same limits, so
/// a server that is stopped or stops answering fails the call within seconds instead of holding up
/// the run, and none of them can prompt (standard input is /dev/null, `--ask-password=false`).
/// Credentials stay in rclone's config file or its `RCLONE_CONFIG_*` variables, never in arguments.
struct Rclone {
    /// One file in the remote folder's listing.
    struct Entry: Decodable {
        var name: String
        var size: Int64
        var isDirectory: Bool
        var hashes: [String: String]?

        enum CodingKeys: String, CodingKey {
            case name = "Name", size = "Size", isDirectory = "IsDir", hashes = "Hashes"
        }
    }

    /// A call that did not work: rclone's own words, the remote's parameters left out.
    struct Failure: Error {
        var message: String
    }

    let program: ExternalProgram
    let remote: RcloneRemote
    let configFile: URL?
    let timeout: Double

    /// The first `rclone` on `PATH`.
    static func locate() throws -> ExternalProgram {
        guard let program = ExternalProgram.find("rclone") else {
            throw CadangError(.usage, "rclone is not installed (no rclone on PATH), so nothing can be copied off-site",
                              fix: "apt-get install rclone")
        }
        return program
    }

    /// The flags every call gets.
    private var common: [String] {
        let limit = "\(max(1, Int((timeout * 1000).rounded())))ms"
        var flags = ["--ask-password=false", "--contimeout", limit, "--timeout", limit, "--low-level-retries", "2",
                     "--retries", "1", "--log-level", "ERROR", "--use-json-log"]
        // rclone's own default (~/.config/rclone/rclone.conf, or RCLONE_CONFIG) unless the config names one.
        if let configFile { flags += ["--config", configFile.path] }
        return flags
    }

    /// The remote folder's files by name; empty when the folder does not exist yet (rclone's exit 3).
    func list() throws -> [String: Entry] {
        var json: [UInt8] = []
        let (status, reason) = try call(["lsjson", "--files-only", "--no-mimetype", "--no-modtime", remote.spec]) {
            json.append(contentsOf: $0)
        }
        if status == 3 { return [:] }
        guard status == 0 else { throw Failure(message: "cannot list \(remote.display): \(reason)") }
        guard let entries = try? JSONDecoder().decode([Entry].self, from: Data(json)) else {
            throw Failure(message: "rclone lsjson of \(remote.display) printed no listing")
        }
        return Dictionary(entries.filter { !$0.isDirectory }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The hashes the remote's backend stores for its files (`md5`, `sha1`, `sha256`, …).
    func hashTypes() throws -> Set<String> {
        struct Features: Decodable {
            var hashes: [String]?
            enum CodingKeys: String, CodingKey { case hashes = "Hashes" }
        }
        var json: [UInt8] = []
        let (status, reason) = try call(["backend", "features", remote.spec]) { json.append(contentsOf: $0) }
        guard status == 0 else { throw Failure(message: "cannot reach \(remote.display): \(reason)") }
        guard let features = try? JSONDecoder().decode(Features.self, from: Data(json)) else {
            throw Failure(message: "rclone backend features of \(remote.display) printed nothing readable")
        }
        return Set(features.hashes ?? [])
    }

    /// One file's size and its `type` hash as the remote reports it; nil when the file is missing.
    func stat(_ name: String, hash type: String?) throws -> Entry? {
        var json: [UInt8] = []
        let arguments = ["lsjson", "--stat", "--no-mimetype", "--no-modtime"] + (type.map { ["--hash", "--hash-type", $0] } ?? [])
        let (status, reason) = try call(arguments + [remote.file(name)]) { json.append(contentsOf: $0) }
        if status == 3 || status == 4 { return nil }
        guard status == 0 else { throw Failure(message: "cannot look at \(remote.displayFile(name)): \(reason)") }
        guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(json)) else {
            throw Failure(message: "rclone lsjson of \(remote.displayFile(name)) printed nothing readable")
        }
        return entry
    }

    /// Reads a remote file through `consume`, chunk by chunk; returns the byte count.
    func read(_ name: String, into consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        var bytes: Int64 = 0
        let (status, reason) = try call(["cat", remote.file(name)]) { chunk in
            bytes += Int64(chunk.count)
            try consume(chunk)
        }
        guard status == 0 else { throw Failure(message: "cannot read \(remote.displayFile(name)): \(reason)") }
        return bytes
    }

    /// Uploads `names` from `folder` into the remote folder with `copy --immutable`: a different file
    /// already there under one of the names fails the call instead of being replaced (1.60's
    /// `copyto --immutable` would replace it). `progress` gets the bytes sent so far.
    func copy(_ names: [String], from folder: URL, progress: (Int64) -> Void) throws {
        let list = names.map { $0 + "\n" }.joined()
        let (status, reason) = try call(["copy", "--immutable", "--files-from-raw", "-", "--stats", "1s", "--stats-log-level", "ERROR",
                                         folder.path, remote.spec], input: list, progress: progress) { _ in }
        guard status == 0 else { throw Failure(message: "cannot upload \(names.joined(separator: ", ")) to \(remote.display): \(reason)") }
    }

    /// Deletes one file of the remote folder.
    func delete(_ name: String) throws {
        let (status, reason) = try call(["deletefile", remote.file(name)]) { _ in }
        guard status == 0 || status == 4 else { throw Failure(message: "cannot delete \(remote.displayFile(name)): \(reason)") }
    }

    /// Runs rclone; returns its exit status and the first thing it said was wrong.
    private func call(_ arguments: [String], input: String? = nil, progress: (Int64) -> Void = { _ in },
                      output: (UnsafeRawBufferPointer) throws -> Void) throws -> (Int32, String) {
        var messages: [String] = []
        let result = try program.run(arguments + common, input: input, standardOutput: output) { line in
            switch Self.parse(line) {
            case .stats(let bytes): progress(bytes)
            case .message(let text): messages.append(text)
            case .nothing: break
            }
        }
        let reason = messages.first.map { $0.replacingOccurrences(of: remote.spec, with: remote.display) }
            ?? "rclone exited with status \(result.status)"
        return (result.status, String(reason.prefix(400)))
    }

    private enum Line {
        case stats(Int64), message(String), nothing
    }

    /// A line of rclone's standard error: JSON with `--use-json-log`, except what it says before its
    /// logging is set up (e.g. "Failed to create file system …"), which is plain text after a date.
    private static func parse(_ line: String) -> Line {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return .nothing }
        if text.hasPrefix("{"), let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] {
            if let stats = object["stats"] as? [String: Any] {
                return .stats((stats["bytes"] as? NSNumber)?.int64Value ?? 0)
            }
            guard let message = (object["msg"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty,
                  !message.hasPrefix("Can't retry any of the errors") else { return .nothing }
            let object = (object["object"] as? String).map { $0.isEmpty ? "" : "\($0): " } ?? ""
            return .message(object + message)
        }
        // `2026/12/03 18:25:40 Failed to create file system for …`
        let words = text.split(separator: " ", maxSplits: 2)
        if words.count == 3, words[0].count == 10, words[0].filter({ $0 == "/" }).count == 2 {
            return .message(String(words[2]))
        }
        return .message(text)
    }
}
