import Foundation

/// A set being written in `tmp/`. Artifacts are created, filled and closed; `commit` writes the
/// manifest last and renames the folder into `sets/`; `discard` removes everything.
public final class StagedSet {
    /// The set's id.
    public let id: String
    /// The job writing it.
    public let job: String
    /// The set's time.
    public let time: Date
    /// The folder being filled.
    public let directory: URL
    /// A private folder for sources' file datasets, on the same filesystem.
    public let scratchDirectory: URL
    private let repository: Repository
    private(set) var artifacts: [Artifact] = []
    private var usedPaths: Set<String> = []

    init(repository: Repository, id: String, job: String, time: Date) throws {
        self.repository = repository
        self.id = id
        self.job = job
        self.time = time
        directory = repository.temporaryDirectory.appendingPathComponent(id, isDirectory: true)
        scratchDirectory = repository.temporaryDirectory.appendingPathComponent(id + ".scratch", isDirectory: true)
        try FileSystem.makeDirectory(directory)
        try FileSystem.makeDirectory(scratchDirectory)
    }

    /// Creates a new artifact file at `path` (relative, no `..`).
    public func createArtifact(path: String, dataset: String, format: String, plugin: String? = nil) throws -> ArtifactWriter {
        try claim(path)
        return try ArtifactWriter(url: directory.appendingPathComponent(path), path: path, dataset: dataset, format: format, plugin: plugin)
    }

    /// Closes an artifact (flush, fsync) and records it.
    public func close(_ writer: ArtifactWriter, rows: Int?) throws {
        artifacts.append(try writer.close(rows: rows))
    }

    /// Moves a file dataset from scratch space into the set and records it.
    public func add(_ file: FileDataset, path: String, plugin: String? = nil) throws {
        guard file.url.standardizedFileURL.path.hasPrefix(scratchDirectory.path + "/") else {
            throw CadangError(.failure, "file dataset '\(file.name)' was written outside the run's scratch folder (\(file.url.path))")
        }
        try claim(path)
        let target = directory.appendingPathComponent(path)
        try FileSystem.rename(file.url, to: target)
        chmod(target.path, 0o600)
        try FileSystem.sync(target)
        let (digest, bytes): (String, Int64)
        if let known = file.sha256 {
            let size = (try FileManager.default.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.int64Value ?? 0
            (digest, bytes) = (known, size)
        } else {
            (digest, bytes) = try FileSystem.sha256(of: target)
        }
        artifacts.append(Artifact(path: path, dataset: file.name, format: file.format, bytes: bytes, rows: file.rows, sha256: digest,
                                  plugin: plugin))
    }

    /// Writes the manifest last and renames the folder into place; the set is then listed.
    public func commit(sources: [Manifest.SourceEntry], warnings: [String], tool: String,
                       incremental: [Manifest.FilteredTable]? = nil) throws -> BackupSet {
        try FileSystem.remove(scratchDirectory)
        let manifest = Manifest(id: id, job: job, time: Timestamp.rfc3339(time), created: Timestamp.rfc3339(Date()),
                                tool: tool, sources: sources, artifacts: artifacts, warnings: warnings,
                                incremental: incremental)
        try FileSystem.writeAtomically(try manifest.encoded(), to: directory.appendingPathComponent(Manifest.fileName))
        let final = repository.setsDirectory.appendingPathComponent(id, isDirectory: true)
        try FileSystem.rename(directory, to: final)
        try FileSystem.sync(repository.setsDirectory)
        try FileSystem.sync(repository.temporaryDirectory)
        return BackupSet(manifest: manifest, directory: final)
    }

    /// Removes the staged files; nothing was listed.
    public func discard() {
        try? FileSystem.remove(directory)
        try? FileSystem.remove(scratchDirectory)
    }

    private func claim(_ path: String) throws {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        // Hidden names are the repository's own (e.g. the manifest's temporary file).
        guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0.hasPrefix(".") }),
              path != Manifest.fileName else {
            throw CadangError(.failure, "invalid artifact path '\(path)' in set \(id)")
        }
        guard usedPaths.insert(path).inserted else {
            throw CadangError(.usage, "two outputs of job '\(job)' would both write \(path)",
                              fix: "give the sinks different formats or split the job")
        }
        if parts.count > 1 {
            try FileSystem.makeDirectory(directory.appendingPathComponent(parts.dropLast().joined(separator: "/")))
        }
    }
}
