import ArchiveSupport
import CadangCore
import Foundation
import Logging

/// `targz`: after a set is sealed, packs it into one archive, `<job>-<set id>.tar.gz` (or
/// `.tar.zst`, `.tar`; with `encrypt:`, age-encrypted as `….tar.gz.age`), in its own folder —
/// typically on a USB drive — and keeps that folder pruned by its own `keep_*` rules.
///
/// The archive is written as `<name>.partial` and proved twice before it is renamed to its final
/// name: while it is written, its compressed stream is decoded again in memory and compared entry
/// by entry with the set's manifest (gzip members are also inflated and compared with their input);
/// after fsync, its cached pages are dropped and it is read back from the drive, where it must have
/// the SHA-256 computed while writing. That SHA-256 goes beside it (`<name>.sha256`, `sha256sum -c`
/// format). So a file under the final name is always a complete archive of the set, as stored on
/// the drive, whatever happens mid-way.
public struct TarGzSink: EncryptingSink {
    public static let descriptor = PluginDescriptor(
        kind: .sink, name: "targz",
        summary: "Packs each sealed set into one checked .tar.gz (or .tar.zst; age-encrypted with encrypt:) in its own folder, e.g. on a USB drive; keep_* rules (as the retention policy's; none: keep all) prune that folder.",
        options: [
            OptionSpec("path", .path, required: true, doc: "The folder for the archives, e.g. /media/usb/kasir-archive."),
            OptionSpec("compression", .choice(ArchiveCompression.allCases.map(\.rawValue)), default: .string("gzip"),
                       doc: "gzip (libdeflate, independent members), zstd (one frame with its content checksum), or none (plain tar)."),
            OptionSpec("level", .integer, doc: "Compression level: gzip 1–12 (default 6), zstd 1–19 (default 3)."),
            OptionSpec("threads", .integer, default: .integer(1), range: 1...256, doc: "Threads compressing at once (gzip members; libzstd workers for zstd)."),
            OptionSpec("require_mount", .boolean, default: .boolean(false),
                       doc: "Refuse (exit 75, \"drive not mounted\") unless path is on a mounted filesystem other than the one holding /."),
            OptionSpec("encrypt", .group(encryptSpecs),
                       doc: "Encrypt each archive with age to these public keys (….tar.zst.age); only a private key opens it: `age -d -i KEY`, or `cadang restore --from-archive FILE --identity KEY`."),
        ] + RetentionRules.optionSpecs)

    static let encryptSpecs = [
        OptionSpec("recipients", .stringList, doc: "age public keys (age1…), e.g. the owner's and a trusted person's, as 'cadang key generate' prints them."),
        OptionSpec("recipients_file", .path, doc: "A file with one age1… public key per line (# comments allowed)."),
    ]

    let destination: Destination
    let compression: ArchiveCompression
    /// The public keys archives are encrypted to; nil: not encrypted.
    let encryption: ArchiveRecipients?
    /// The archives' file name ending.
    let format: ArchiveFormat
    let level: Int
    let threads: Int
    let rules: RetentionRules
    let logger: Logger

    public init(configuration: PluginConfiguration) throws {
        logger = configuration.logger
        guard let path = configuration.path("path") else {
            throw CadangError(.usage, "sink '\(configuration.name)' needs the option 'path'")
        }
        destination = Destination(folder: path, requireMount: configuration.options.bool("require_mount") ?? false)
        compression = ArchiveCompression(rawValue: configuration.options.string("compression") ?? "gzip") ?? .gzip
        level = Int(configuration.options.integer("level") ?? Int64(compression.defaultLevel))
        guard compression.levels.contains(level) else {
            throw CadangError(.usage, "sink '\(configuration.name)': level \(level) is out of range for \(compression.rawValue)",
                              fix: "use \(compression.levels.lowerBound)–\(compression.levels.upperBound)")
        }
        threads = Int(configuration.options.integer("threads") ?? 1)
        guard (1...256).contains(threads) else {
            throw CadangError(.usage, "sink '\(configuration.name)': threads must be from 1 to 256")
        }
        rules = try RetentionRules(options: configuration.options)
        if let encrypt = configuration.options.group("encrypt", specs: Self.encryptSpecs) {
            encryption = try ArchiveRecipients(recipients: encrypt.list("recipients") ?? [],
                                               file: encrypt.string("recipients_file").map(configuration.resolve),
                                               origin: "sink '\(configuration.name)' encrypt")
        } else {
            encryption = nil
        }
        format = ArchiveFormat(compression: compression, encrypted: encryption != nil)
    }

    public var recipients: [String] { encryption?.names ?? [] }

    public func didCommit(_ set: BackupSet, earlier: [BackupSet], warnings: WarningLog) throws {
        try destination.prepare()
        removeLeftovers(job: set.job)
        // Sets written while the drive was away: those newer than the newest archive here (so a
        // new, empty drive starts with the current set only), and only those the keep_* rules keep.
        let present = archives(job: set.job)
        let newestArchived = present.last?.time ?? .distantFuture
        var missing = earlier.filter { $0.time > newestArchived && archivedCopies(of: $0).isEmpty }
        if !rules.isEmpty && !missing.isEmpty {
            let candidates = present.map { ($0.id, $0.time) } + (missing + [set]).map { ($0.id, $0.time) }
            let kept = Set(RetentionPlanner.plan(candidates.sorted { ($0.1, $0.0) > ($1.1, $1.0) }, rules: rules).keep.map(\.id))
            missing = missing.filter { kept.contains($0.id) }
        }
        for old in missing {
            try pack(old)
        }
        if !missing.isEmpty { logger.notice("archived \(missing.count) earlier set(s) of job '\(set.job)' written while \(destination.folder.path) was away") }
        try pack(set)
        try prune(job: set.job, warnings: warnings)
    }

    /// Writes one set's archive unless it is there already.
    private func pack(_ set: BackupSet) throws {
        let name = "\(set.job)-\(set.id)\(format.fileExtension)"
        let final = destination.folder.appendingPathComponent(name)
        guard !FileSystem.exists(final) else { return }
        try destination.checkFreeSpace(needed: estimate(set))

        let partial = destination.folder.appendingPathComponent(name + ".partial")
        let bytes: Int64
        do {
            let writer = try SetArchiveWriter(creating: partial, compression: compression, level: level, threads: threads,
                                              recipients: encryption)
            let progress = Progress.step("pack \(name)", total: set.totalBytes, unit: .bytes)
            defer { progress.finish() }
            writer.progress = progress
            let manifest = set.directory.appendingPathComponent(Manifest.fileName)
            try writer.add(bytes: Array(try Data(contentsOf: manifest)), as: "\(set.id)/\(Manifest.fileName)", modified: set.time)
            for artifact in set.manifest.artifacts {
                try writer.add(file: set.url(of: artifact), as: "\(set.id)/\(artifact.path)", size: artifact.bytes, modified: set.time)
            }
            let archived = try writer.finish()
            // The proof checked the archive against the manifest file it holds; that file must be
            // the one this set was committed with.
            guard archived.manifest == set.manifest else {
                throw CadangError(.damaged, "archive \(partial.path) holds a manifest other than set \(set.id)'s; it did not get its final name",
                                  fix: "run 'cadang verify' on the set")
            }
            bytes = archived.bytes
            logger.debug("archive \(final.path): \(bytes) bytes; streamed and proved in \(DurationText.seconds(archived.streamed)), fsync \(DurationText.seconds(archived.synced)), re-read from the drive in \(DurationText.seconds(archived.reread)) (\(archived.cachedPages) of \(archived.pages) pages were still cached)")
            let sidecar = destination.folder.appendingPathComponent(name + ".sha256")
            try FileSystem.writeAtomically(Array("\(archived.sha256)  \(name)\n".utf8), to: sidecar)
            try FileSystem.rename(partial, to: final)
            try FileSystem.sync(destination.folder)
        } catch {
            try? FileSystem.remove(partial)
            throw error
        }
        logger.info("archived set \(set.id) to \(final.path) (\(ByteCount.format(bytes)))")
    }

    public func archivedCopies(of set: BackupSet) -> [URL] {
        ArchiveFormat.all
            .map { destination.folder.appendingPathComponent("\(set.job)-\(set.id)\($0.fileExtension)") }
            .filter(FileSystem.exists)
    }

    /// Room to ask for: the job's newest archive here if there is one (the best guess of the next
    /// one's size), else the set's size (a plain tar's, and an upper bound for the compressed ones).
    private func estimate(_ set: BackupSet) -> Int64 {
        let previous = archives(job: set.job).last.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.url.path)[.size] as? NSNumber }
        return previous.map { $0.int64Value * 11 / 10 } ?? (set.totalBytes + (1 << 20))
    }

    /// Archives of `job` in the destination, oldest first, with the time their set id names.
    private func archives(job: String) -> [(id: String, time: Date, url: URL)] {
        FileSystem.contents(of: destination.folder).compactMap { name -> (String, Date, URL)? in
            guard name.hasPrefix(job + "-"), let format = ArchiveFormat(fileName: name) else { return nil }
            let id = String(name.dropFirst(job.count + 1).dropLast(format.fileExtension.count))
            guard let time = SetID.time(of: id) else { return nil }
            return (id, time, destination.folder.appendingPathComponent(name))
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    /// Removes what a killed run left (`.partial` archives of this job); nothing else writes them
    /// while the repository lock is held.
    private func removeLeftovers(job: String) {
        for name in FileSystem.contents(of: destination.folder) where name.hasPrefix(job + "-") && name.hasSuffix(".partial") {
            try? FileSystem.remove(destination.folder.appendingPathComponent(name))
        }
    }

    /// Applies the keep_* rules to this job's archives in the destination.
    private func prune(job: String, warnings: WarningLog) throws {
        guard !rules.isEmpty else { return }
        let found = archives(job: job)
        let plan = RetentionPlanner.plan(found.reversed().map { ($0.id, $0.time) }, rules: rules)
        guard !plan.removesEverything else { return }
        let byID = Dictionary(found.map { ($0.id, $0.url) }, uniquingKeysWith: { first, _ in first })
        for removed in plan.remove {
            guard let url = byID[removed.id] else { continue }
            try FileSystem.remove(url)
            try? FileSystem.remove(url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".sha256"))
        }
        if !plan.remove.isEmpty {
            try FileSystem.sync(destination.folder)
            logger.info("removed \(plan.remove.count) old archive(s) of job '\(job)' from \(destination.folder.path), kept \(plan.keep.count)")
        }
    }
}
