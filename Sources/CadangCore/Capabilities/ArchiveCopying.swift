import Foundation

/// A sink that packs each set into archive files, which other sinks of the job may copy elsewhere.
///
/// Contract: every URL its `archivedCopies(of:)` returns is a complete, checked archive of that
/// set, with the archive's SHA-256 beside it in `<archive>.sha256` (`sha256sum -c` format:
/// `<hex>  <name>\n`); an archive is listed only once it has its final name. Archive names follow
/// `<job>-<set id>.tar.gz|.tar.zst|.tar`, optionally with `.age` appended.
public protocol ArchiveMaking: Sink {}

/// A sink that copies the archives another sink of the same job makes (e.g. off-site, with
/// rclone), instead of packing the set itself.
///
/// Contract: the sink names its upstream — a sink of the same job that adopts `ArchiveMaking` —
/// in the option `upstreamOption` (`archives`), which its descriptor declares as required; the
/// config check rejects any other value. After the set is committed, the engine calls every other
/// sink's `didCommit` first, whatever the config's order, then `copyArchives` (and never
/// `didCommit`) of each copying sink, once, with the set, the job's earlier sets and the upstream
/// sink's archives. Anything thrown is that sink's failure: the set stays listed, the error's
/// status becomes the run's (3 for a copy that failed), after-commit policies wait for a run that
/// works. Records of what was copied go in `request.recordFolder`, which only this sink writes.
public protocol ArchiveCopying: Sink {
    /// The config name of the sink whose archives it copies (the value of `upstreamOption`).
    var upstream: String { get }
    /// Copies the archives `request` offers that are not there yet; throws when any copy failed.
    func copyArchives(_ request: ArchiveCopyRequest) throws
}

extension ArchiveCopying {
    /// The option naming the upstream sink; the config check reads it.
    public static var upstreamOption: String { "archives" }
}

/// What a copying sink gets after a commit: the sets and a way to find their archives.
public struct ArchiveCopyRequest {
    /// The set just committed.
    public let set: BackupSet
    /// The job's earlier sets, oldest first (for copies missed while the destination was away).
    public let earlier: [BackupSet]
    /// `<repository>/copies/<sink name>/`, for the sink's own records of finished copies; may not
    /// exist yet (`prepareRecordFolder()` creates it, 0700). In the repository because the records
    /// describe its sets: they move, and are backed up, with it, and are written under its lock.
    public let recordFolder: URL
    /// The run's warnings.
    public let warnings: WarningLog
    private let archivesOf: (BackupSet) -> [URL]

    /// Creates a request; `archives` lists the upstream sink's archives of a set.
    public init(set: BackupSet, earlier: [BackupSet], recordFolder: URL, warnings: WarningLog,
                archives: @escaping (BackupSet) -> [URL]) {
        self.set = set
        self.earlier = earlier
        self.recordFolder = recordFolder
        self.warnings = warnings
        archivesOf = archives
    }

    /// The upstream sink's archives of `set` (from this or an earlier run); empty when it has none.
    public func archives(of set: BackupSet) -> [URL] {
        archivesOf(set)
    }

    /// The record folder, created (0700) if missing.
    public func prepareRecordFolder() throws -> URL {
        try FileSystem.makeDirectory(recordFolder)
        return recordFolder
    }
}

/// The names `ArchiveMaking` sinks give their archives, so a sink that copies them can tell
/// Cadang's files from anything else in the same folder.
public enum ArchiveName {
    /// The endings an archive may have; an encrypted archive's first.
    public static let endings = [".tar.gz.age", ".tar.zst.age", ".tar.age", ".tar.gz", ".tar.zst", ".tar"]
    /// What follows an archive's name in its SHA-256 sidecar's.
    public static let sidecarEnding = ".sha256"

    /// The set id that `name` is an archive of, when it is an archive of `job`; otherwise nil.
    public static func setID(in name: String, job: String) -> String? {
        guard name.hasPrefix(job + "-"), let ending = endings.first(where: { name.hasSuffix($0) }) else { return nil }
        let id = String(name.dropFirst(job.count + 1).dropLast(ending.count))
        return SetID.isValid(id) ? id : nil
    }
}
