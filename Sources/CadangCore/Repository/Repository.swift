import Foundation

/// The folder that holds backup sets.
///
/// Layout: `sets/<id>/` holds committed sets (each with `manifest.json`), `tmp/` holds sets being
/// written and sets being deleted, `index/` holds policies' state about sets (e.g. the keys of rows
/// already backed up), `state/` holds sources' own records, `copies/` copying sinks' records of
/// the archives they copied, `key-checks.json` when each archive key last proved it opens the
/// newest encrypted archive (`cadang key check`), `lock` is the writers' lock. A set appears in `sets/` only by one
/// rename of a complete, fsynced folder, and leaves it by one rename, so no half-set is ever listed.
public final class Repository: Sendable {
    /// The repository folder.
    public let url: URL

    /// A repository at `url` (nothing is created until a writer needs it).
    public init(url: URL) {
        self.url = url.standardizedFileURL
    }

    var setsDirectory: URL { url.appendingPathComponent("sets", isDirectory: true) }
    var temporaryDirectory: URL { url.appendingPathComponent("tmp", isDirectory: true) }
    var lockFile: URL { url.appendingPathComponent("lock") }
    var indexDirectory: URL { url.appendingPathComponent("index", isDirectory: true) }
    /// Sources' own folders (`state/<source>/`).
    var stateDirectory: URL { url.appendingPathComponent("state", isDirectory: true) }
    /// Copying sinks' records (`copies/<sink>/`); apart from `state/`, whose names are sources'.
    var copiesDirectory: URL { url.appendingPathComponent("copies", isDirectory: true) }

    /// A file in `index/` for state a policy keeps about one job's sets, named `<job>.<suffix>`,
    /// created empty with mode 0600 if missing. State there must be keyed by set id and count only
    /// for listed sets: a crash can leave it ahead of `sets/`. Call only while holding the lock.
    public func indexFile(job: String, suffix: String) throws -> URL {
        try prepare()
        try FileSystem.makeDirectory(indexDirectory)
        let safe = job.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_": String(scalar)
            default: "%" + String(scalar.value, radix: 16, uppercase: true)
            }
        }.joined()
        let file = indexDirectory.appendingPathComponent("\(safe).\(suffix)")
        let fd = open(file.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CadangError.system("create", file.path, errno: errno) }
        close(fd)
        return file
    }

    /// Creates the folder structure (0700) if missing. A missing parent usually means an unmounted
    /// drive, so that is reported as "not available" rather than silently created.
    public func prepare() throws {
        let parent = url.deletingLastPathComponent()
        guard FileSystem.exists(parent) else {
            throw CadangError(.unavailable, "repository \(url.path) is not available: \(parent.path) does not exist",
                              fix: "mount the drive or create \(parent.path)")
        }
        try FileSystem.makeDirectory(url)
        try FileSystem.makeDirectory(setsDirectory)
        try FileSystem.makeDirectory(temporaryDirectory)
    }

    /// Takes the writers' lock, waiting up to `wait` seconds (nil: fail at once with exit 11).
    public func lock(wait: Double?, command: String) throws -> RepositoryLock {
        try prepare()
        return try RepositoryLock.acquire(at: lockFile, repository: url.path, wait: wait, command: command)
    }

    /// Removes what crashed runs and prunes left in `tmp/`. Call only while holding the lock.
    public func sweepLeftovers() throws -> [String] {
        let names = FileSystem.contents(of: temporaryDirectory)
        for name in names { try FileSystem.remove(temporaryDirectory.appendingPathComponent(name)) }
        if !names.isEmpty { try FileSystem.sync(temporaryDirectory) }
        return names
    }

    /// Starts a new set for `job` at `time`, in `tmp/`. Call only while holding the lock.
    public func beginSet(job: String, time: Date) throws -> StagedSet {
        try prepare()
        var id = SetID.make(time: time)
        while FileSystem.exists(setsDirectory.appendingPathComponent(id)) { id = SetID.make(time: time) }
        return try StagedSet(repository: self, id: id, job: job, time: time)
    }

    /// Every committed set, oldest first (by time, then id).
    public func sets(job: String? = nil) -> [BackupSet] {
        var result: [BackupSet] = []
        for name in FileSystem.contents(of: setsDirectory) where SetID.isValid(name) {
            let directory = setsDirectory.appendingPathComponent(name, isDirectory: true)
            guard let manifest = Manifest.read(from: directory.appendingPathComponent(Manifest.fileName)),
                  manifest.id == name else { continue }
            if let job, manifest.job != job { continue }
            result.append(BackupSet(manifest: manifest, directory: directory))
        }
        return result.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    /// The set with this id, if committed.
    public func set(id: String) -> BackupSet? {
        guard SetID.isValid(id) else { return nil }
        let directory = setsDirectory.appendingPathComponent(id, isDirectory: true)
        guard let manifest = Manifest.read(from: directory.appendingPathComponent(Manifest.fileName)),
              manifest.id == id else { return nil }
        return BackupSet(manifest: manifest, directory: directory)
    }

    /// Unlists a set at once (one rename into `tmp/`), then deletes its files. Hold the lock.
    public func remove(_ set: BackupSet) throws {
        let doomed = temporaryDirectory.appendingPathComponent(set.id + ".deleting", isDirectory: true)
        try FileSystem.rename(set.directory, to: doomed)
        try FileSystem.sync(setsDirectory)
        try FileSystem.remove(doomed)
    }
}
