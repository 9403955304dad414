import CadangCore
import Foundation
import Logging

/// One run of the sink against its remote:
/// 1. list the remote folder (unreachable: the run ends here, exit 3, nothing recorded);
/// 2. verify again the `recheck` copies verified longest ago. One found damaged (other size or
///    hash) is reported (exit 3) and its record dropped, so every later run reports it again as "a
///    different file under the name" until someone deletes it there; then the next run uploads it
///    again. One found gone is uploaded again at once;
/// 3. copy every archive without a record (the `keep_*` rules' rejects excepted), oldest first:
///    check the archive against its `.sha256` (a damaged one is never uploaded), look at the
///    remote (same file: record it; different file: fail, never overwrite), upload, verify, record.
///    A copy that fails does not stop the others, unless rclone itself failed (the remote went
///    away): then the rest waits for the next run;
/// 4. only when all of that worked, prune the remote by the `keep_*` rules.
final class RemoteCopy {
    /// An archive of the upstream sink.
    struct Archive {
        var set: BackupSet
        var url: URL
        var name: String { url.lastPathComponent }
        var sidecarName: String { name + ArchiveName.sidecarEnding }
        var folder: URL { url.deletingLastPathComponent() }
    }

    /// What an archive's copy must match: its sidecar's bytes, its size and SHA-256 (from the
    /// sidecar) and, where the remote offers only MD5 or SHA-1, that digest of the local file.
    struct Expected {
        var sidecar: [UInt8]
        var sha256: String
        var bytes: Int64
        var listed: String?
    }

    /// How copies are checked on this remote.
    enum Verification: CustomStringConvertible {
        /// By a hash the remote lists for its files (`sha256`, `sha1` or `md5`).
        case listed(Digest.Algorithm)
        /// By reading the copy back through SHA-256 (remotes that keep no hash, such as WebDAV).
        case read

        var description: String {
            switch self {
            case .listed(let algorithm): "its \(algorithm.rawValue) on the remote"
            case .read: "reading it back"
            }
        }
    }

    /// A copy that did not work out, while the remote itself answers.
    struct Mismatch: Error {
        var message: String
        var fix: String
    }

    private let rclone: Rclone
    private var records: UploadRecords
    private let rules: RetentionRules
    private let recheck: Int
    private let logger: Logger
    private var remote: RcloneRemote { rclone.remote }
    private var listing: [String: Rclone.Entry] = [:]
    private var verification: Verification?

    init(rclone: Rclone, records: UploadRecords, rules: RetentionRules, recheck: Int, logger: Logger) {
        self.rclone = rclone
        self.records = records
        self.rules = rules
        self.recheck = recheck
        self.logger = logger
    }

    func run(_ request: ArchiveCopyRequest) throws {
        let job = request.set.job
        let sets = request.earlier + [request.set]
        try records.keepOnly(sets: Set(sets.map(\.id)))
        let offered = sets.flatMap { set in request.archives(of: set).map { Archive(set: set, url: $0) } }
        var failures: [Mismatch] = []
        func finish(_ error: Rclone.Failure? = nil) throws {
            let fix = error == nil ? failures.first?.fix : "check the connection and the remote ('rclone lsjson \(remote.display)'); the next run copies what is missing"
            var messages = failures.map(\.message)
            if let error { messages.append(error.message) }
            guard let first = messages.first else { return }
            let text = messages.count == 1 ? first : "\(messages.count) problems copying to \(remote.display); first: \(first)"
            throw CadangError(.partial, text, fix: fix)
        }

        do {
            listing = try rclone.list()
            var damaged: Set<String> = []
            for record in records.stalest(recheck) {
                guard let archive = offered.first(where: { $0.name == record.archive }) else { continue }
                do {
                    try checkAgain(archive)
                } catch let mismatch as Mismatch {
                    failures.append(mismatch)
                    damaged.insert(archive.name)
                    try records.remove(archive.name)
                }
            }
            let pending = try backlog(offered.filter { !records.contains($0.name) && !damaged.contains($0.name) }, job: job)
            if pending.count > 1 {
                logger.notice("copying \(pending.count) archives of job '\(job)' to \(remote.display), \(pending.count - 1) of them from earlier runs")
            }
            for archive in pending {
                do {
                    try copy(archive)
                } catch let mismatch as Mismatch {
                    failures.append(mismatch)
                }
            }
            if failures.isEmpty { try prune(job: job) }
        } catch let failure as Rclone.Failure {
            try finish(failure)
        }
        try finish()
    }

    // MARK: Steps

    /// Verifies a recorded copy again; a copy gone from the remote loses its record, so this run
    /// uploads it again.
    private func checkAgain(_ archive: Archive) throws {
        guard listing[archive.name] != nil else {
            logger.notice("\(remote.displayFile(archive.name)) is no longer there; copying it again")
            try records.remove(archive.name)
            return
        }
        let method = try verificationMethod()
        let expected = try expectation(archive, reading: method.needsLocalDigest)
        guard try matches(archive, expected: expected, method: method) else {
            throw Mismatch(message: "the copy \(remote.displayFile(archive.name)) no longer matches archive \(archive.url.path) (checked by \(method)): it is damaged there and is not overwritten",
                           fix: "delete it ('rclone deletefile \(remote.displayFile(archive.name))'); the next run copies the archive again")
        }
        try records.add(archive: archive.name, set: archive.set, sha256: expected.sha256, bytes: expected.bytes)
        logger.info("copy \(remote.displayFile(archive.name)) verified again by \(method)")
    }

    /// The archives to copy now: without the ones the `keep_*` rules would prune from the remote
    /// straight away (a remote that was away for weeks gets what it keeps, not the whole history).
    private func backlog(_ pending: [Archive], job: String) throws -> [Archive] {
        guard !rules.isEmpty, !pending.isEmpty else { return pending }
        var candidates = Dictionary(remoteArchives(job: job).map { ($0.id, $0.time) }, uniquingKeysWith: { first, _ in first })
        for archive in pending { candidates[archive.set.id] = archive.set.time }
        let sorted = candidates.map { (id: $0.key, time: $0.value) }.sorted { ($0.time, $0.id) > ($1.time, $1.id) }
        let kept = Set(RetentionPlanner.plan(sorted, rules: rules).keep.map(\.id))
        return pending.filter { kept.contains($0.set.id) }
    }

    /// Copies one archive and its sidecar, unless the remote has them already.
    private func copy(_ archive: Archive) throws {
        let method = try verificationMethod()
        let expected = try expectation(archive, reading: true)
        let files = [(archive.name, expected.bytes), (archive.sidecarName, Int64(expected.sidecar.count))]
        var send: [(String, Int64)] = []
        for (name, bytes) in files {
            guard let present = listing[name] else {
                send.append((name, bytes))
                continue
            }
            var same = present.size == bytes
            if same { same = try name == archive.name ? matches(archive, expected: expected, method: method) : sidecarMatches(archive, expected: expected) }
            guard same else {
                throw Mismatch(message: "a different file is already on the remote as \(remote.displayFile(name)); it was not overwritten, so archive \(archive.name) is not copied",
                               fix: "if that file is damaged or not Cadang's, delete it ('rclone deletefile \(remote.displayFile(name))'); the next run copies the archive")
            }
        }
        if !send.isEmpty {
            let progress = Progress.step("upload \(archive.name) → \(remote.display)", total: send.reduce(0) { $0 + $1.1 }, unit: .bytes)
            defer { progress.finish() }
            var sent: Int64 = 0
            try rclone.copy(send.map(\.0), from: archive.folder) { bytes in
                progress.advance(by: bytes - sent)
                sent = bytes
            }
            let verified = try send.allSatisfy { name, _ in
                try name == archive.name ? matches(archive, expected: expected, method: method) : sidecarMatches(archive, expected: expected)
            }
            guard verified else {
                throw Mismatch(message: "the upload \(remote.displayFile(archive.name)) does not match archive \(archive.url.path) (checked by \(method)); it is not counted as copied",
                               fix: "delete it ('rclone deletefile \(remote.displayFile(archive.name))'); the next run copies the archive again")
            }
            for (name, bytes) in send { listing[name] = Rclone.Entry(name: name, size: bytes, isDirectory: false, hashes: nil) }
        }
        try records.add(archive: archive.name, set: archive.set, sha256: expected.sha256, bytes: expected.bytes)
        if send.isEmpty {
            logger.info("\(remote.displayFile(archive.name)) was there already, checked by \(method)")
        } else {
            logger.info("copied \(archive.name) to \(remote.display) (\(ByteCount.format(expected.bytes))), verified by \(method)")
        }
    }

    /// Removes what the `keep_*` rules do not keep among the job's archives on the remote, and
    /// their sidecars; nothing else in the folder is touched.
    private func prune(job: String) throws {
        guard !rules.isEmpty else { return }
        let found = remoteArchives(job: job)
        var byID: [String: (time: Date, names: [String])] = [:]
        for archive in found { byID[archive.id, default: (archive.time, [])].names.append(archive.name) }
        let plan = RetentionPlanner.plan(byID.map { (id: $0.key, time: $0.value.time) }.sorted { ($0.time, $0.id) > ($1.time, $1.id) },
                                         rules: rules)
        guard !plan.removesEverything, !plan.remove.isEmpty else { return }
        for removed in plan.remove {
            for name in byID[removed.id]?.names ?? [] {
                try rclone.delete(name)
                if listing[name + ArchiveName.sidecarEnding] != nil { try rclone.delete(name + ArchiveName.sidecarEnding) }
                try records.remove(name)
            }
        }
        logger.info("removed \(plan.remove.count) old archive(s) of job '\(job)' from \(remote.display), kept \(plan.keep.count)")
    }

    // MARK: Checks

    /// The job's archives in the remote folder, by Cadang's names only.
    private func remoteArchives(job: String) -> [(name: String, id: String, time: Date)] {
        listing.keys.compactMap { name in
            guard let id = ArchiveName.setID(in: name, job: job), let time = SetID.time(of: id) else { return nil }
            return (name, id, time)
        }
    }

    /// How this remote's copies are checked; asked once per run, when first needed.
    private func verificationMethod() throws -> Verification {
        if let verification { return verification }
        let offered = try rclone.hashTypes()
        let method: Verification = [Digest.Algorithm.sha256, .sha1, .md5].first { offered.contains($0.rawValue) }.map { .listed($0) } ?? .read
        verification = method
        return method
    }

    /// What a copy of `archive` must match. `reading`: also read the archive, which must still have
    /// its sidecar's SHA-256, and take the digest the remote lists.
    private func expectation(_ archive: Archive, reading: Bool) throws -> Expected {
        let sidecarURL = archive.folder.appendingPathComponent(archive.sidecarName)
        guard let data = FileManager.default.contents(atPath: sidecarURL.path), data.count < 4096,
              let line = String(data: data, encoding: .utf8), line.hasSuffix("\n") else {
            throw Mismatch(message: "archive \(archive.url.path) has no readable \(archive.sidecarName) beside it; it was not copied",
                           fix: "run 'cadang verify --archive \(archive.url.path)'")
        }
        let fields = line.dropLast().split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let sha256 = fields.first.map(String.init) ?? ""
        guard fields.count == 2, fields[1] == " \(archive.name)", sha256.count == 64,
              sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw Mismatch(message: "\(sidecarURL.path) is not the sha256sum line of \(archive.name); it was not copied",
                           fix: "run 'cadang verify --archive \(archive.url.path)'")
        }
        var expected = Expected(sidecar: Array(data), sha256: sha256, bytes: 0, listed: nil)
        guard reading else {
            let size = (try? FileManager.default.attributesOfItem(atPath: archive.url.path)[.size] as? NSNumber)?.int64Value
            guard let size else {
                throw Mismatch(message: "archive \(archive.url.path) cannot be read", fix: "check the drive it is on")
            }
            expected.bytes = size
            return expected
        }
        var algorithms: Set<Digest.Algorithm> = [.sha256]
        if case .listed(let algorithm) = try verificationMethod() { algorithms.insert(algorithm) }
        let progress = Progress.step("check \(archive.name)", total: nil, unit: .bytes)
        defer { progress.finish() }
        let local: (digests: [Digest.Algorithm: String], bytes: Int64)
        do {
            local = try FileSystem.digests(of: archive.url, algorithms, progress: progress)
        } catch let error as CadangError {
            throw Mismatch(message: error.message, fix: error.fix ?? "check the drive the archive is on")
        }
        guard local.digests[.sha256] == sha256 else {
            throw Mismatch(message: "archive \(archive.url.path) no longer has the SHA-256 in its \(archive.sidecarName): it is damaged on the drive and was not copied",
                           fix: "run 'cadang verify --archive \(archive.url.path)' and check the drive")
        }
        expected.bytes = local.bytes
        if case .listed(let algorithm) = try verificationMethod() { expected.listed = local.digests[algorithm] }
        return expected
    }

    /// Whether the remote's copy of the archive has its size and hash.
    private func matches(_ archive: Archive, expected: Expected, method: Verification) throws -> Bool {
        switch method {
        case .listed(let algorithm):
            guard let entry = try rclone.stat(archive.name, hash: algorithm.rawValue), entry.size == expected.bytes else { return false }
            let want = algorithm == .sha256 ? expected.sha256 : expected.listed
            return entry.hashes?[algorithm.rawValue]?.lowercased() == want
        case .read:
            let hasher = SHA256()
            let progress = Progress.step("verify \(remote.displayFile(archive.name))", total: expected.bytes, unit: .bytes)
            defer { progress.finish() }
            let bytes = try rclone.read(archive.name) { chunk in
                hasher.update(chunk)
                progress.advance(by: Int64(chunk.count))
            }
            return bytes == expected.bytes && hasher.finalizeHex() == expected.sha256
        }
    }

    /// Whether the remote's sidecar has the local one's bytes (it is small enough to read).
    private func sidecarMatches(_ archive: Archive, expected: Expected) throws -> Bool {
        var bytes: [UInt8] = []
        _ = try rclone.read(archive.sidecarName) { chunk in
            if bytes.count <= expected.sidecar.count { bytes.append(contentsOf: chunk) }
        }
        return bytes == expected.sidecar
    }
}

extension RemoteCopy.Verification {
    /// Whether checking a copy needs the digest of the local file (the remote lists no SHA-256).
    var needsLocalDigest: Bool {
        if case .listed(let algorithm) = self { return algorithm != .sha256 }
        return false
    }
}
