import Foundation
import Logging

/// Puts a snapshot back: verify it, refuse while the target is in use, save what is there as a
/// `before-restore` set, then replace the target atomically (temporary name beside it, fsync,
/// rename, remove stale companions, fsync the folder).
public struct Restorer {
    /// The job name of the safety sets written before a restore.
    public static let beforeRestoreJob = "before-restore"

    /// The repository holding the sets.
    public var repository: Repository
    /// The source that knows the format.
    public var source: any RestorableSource
    /// `cadang <version>`, for the safety set's manifest.
    public var tool: String
    /// Diagnostics.
    public var logger: Logger

    /// Creates a restorer.
    public init(repository: Repository, source: any RestorableSource, tool: String, logger: Logger = Logger(label: "cadang")) {
        self.repository = repository
        self.source = source
        self.tool = tool
        self.logger = logger
    }

    /// The set to restore: `id`, or the newest set (of `job`, if given) holding the snapshot
    /// dataset. Safety sets count only when asked for by id or by their job name.
    public func pick(id: String?, job: String?) throws -> (BackupSet, Artifact) {
        let dataset = source.restorableDataset
        if let id {
            guard let set = repository.set(id: id) else {
                throw CadangError(.usage, "no backup set \(id) in \(repository.url.path)", fix: "see 'cadang list'")
            }
            guard let artifact = set.manifest.artifacts.first(where: { $0.dataset == dataset }) else {
                throw CadangError(.usage, "set \(id) holds no \(dataset) snapshot", fix: "pick a set that lists one in 'cadang list'")
            }
            return (set, artifact)
        }
        let candidates = repository.sets(job: job).reversed().filter { job != nil || $0.job != Self.beforeRestoreJob }
        for set in candidates {
            if let artifact = set.manifest.artifacts.first(where: { $0.dataset == dataset }) { return (set, artifact) }
        }
        throw CadangError(.usage, "no backup set\(job.map { " of job '\($0)'" } ?? "") in \(repository.url.path) holds a \(dataset) snapshot",
                          fix: "make one with 'cadang run'")
    }

    /// Checks the snapshot against its manifest entry and the format's own check.
    public func verify(_ set: BackupSet, _ artifact: Artifact) throws {
        let url = set.url(of: artifact)
        guard FileSystem.exists(url) else {
            throw CadangError(.damaged, "set \(set.id) is damaged: \(artifact.path) is missing", fix: "restore from another set")
        }
        let (digest, bytes) = try FileSystem.sha256(of: url)
        guard bytes == artifact.bytes, digest == artifact.sha256 else {
            throw CadangError(.damaged, "set \(set.id) is damaged: \(artifact.path) does not match its manifest (SHA-256 \(digest.prefix(12))…, expected \(artifact.sha256.prefix(12))…)",
                              fix: "restore from another set; see 'cadang verify'")
        }
        try source.checkSnapshot(url)
    }

    /// What restoring `artifact` of `set` to `target` will do.
    public func plan(_ set: BackupSet, _ artifact: Artifact, target: URL) -> RestorePlan {
        let companions = source.companions(of: target).filter(FileSystem.exists)
        let existing = FileSystem.exists(target) ? [target] + companions : []
        return RestorePlan(set: set, artifact: artifact, target: target, filesToSave: existing, staleCompanions: companions)
    }

    /// Carries out a plan; returns the safety set, if one was written.
    public func restore(_ plan: RestorePlan, force: Bool, lockWait: Double?) throws -> BackupSet? {
        let lock = try repository.lock(wait: lockWait, command: "cadang restore")
        defer { lock.release() }
        _ = try repository.sweepLeftovers()
        try verify(plan.set, plan.artifact)
        let claim = FileSystem.exists(plan.target) ? try source.claim(plan.target, force: force) : nil
        defer { claim?.release() }
        let safety = try saveCurrentFiles(plan)
        try replace(plan)
        return safety
    }

    private func saveCurrentFiles(_ plan: RestorePlan) throws -> BackupSet? {
        guard !plan.filesToSave.isEmpty else { return nil }
        let staged = try repository.beginSet(job: Self.beforeRestoreJob, time: Date())
        var warnings: [String] = []
        do {
            for file in plan.filesToSave {
                let copy = staged.scratchDirectory.appendingPathComponent(file.lastPathComponent)
                try FileSystem.copy(file, to: copy)
                let companion = file != plan.target
                var format = companion ? "companion" : plan.artifact.format
                if !companion, (try? source.checkSnapshot(copy)) == nil {
                    // Often why one restores: the file is damaged. It is kept as it was, but not
                    // recorded as a database, so `verify` does not report the safety set as damage.
                    format = "unchecked"
                    warnings.append("\(file.lastPathComponent) did not pass the format check before the restore; it is kept byte for byte as it was")
                }
                try staged.add(FileDataset(name: companion ? "\(source.restorableDataset)-\(Self.suffix(of: file, target: plan.target))" : source.restorableDataset,
                                           fileName: file.lastPathComponent, format: format, url: copy),
                               path: file.lastPathComponent)
            }
            let entry = Manifest.SourceEntry(name: "before-restore", plugin: type(of: source).descriptor.name,
                                             description: "\(plan.target.path) as it was before restoring \(plan.set.id)")
            return try staged.commit(sources: [entry], warnings: warnings, tool: tool)
        } catch {
            staged.discard()
            throw error
        }
    }

    private static func suffix(of file: URL, target: URL) -> String {
        let name = file.lastPathComponent
        let base = target.lastPathComponent
        return name.hasPrefix(base + "-") ? String(name.dropFirst(base.count + 1)) : name
    }

    private func replace(_ plan: RestorePlan) throws {
        let folder = plan.target.deletingLastPathComponent()
        guard FileSystem.exists(folder) else {
            throw CadangError(.failure, "cannot restore to \(plan.target.path): folder \(folder.path) does not exist", fix: "create it first")
        }
        let temporary = folder.appendingPathComponent(".\(plan.target.lastPathComponent).cadang-restore")
        try? FileSystem.remove(temporary)
        do {
            try FileSystem.copy(plan.set.url(of: plan.artifact), to: temporary)
            let (digest, _) = try FileSystem.sha256(of: temporary)
            guard digest == plan.artifact.sha256 else {
                throw CadangError(.failure, "the copy of \(plan.artifact.path) next to \(plan.target.path) does not match its manifest", fix: "check the disk")
            }
            try FileSystem.rename(temporary, to: plan.target)
        } catch {
            try? FileSystem.remove(temporary)
            throw error
        }
        for companion in plan.staleCompanions { try FileSystem.remove(companion) }
        try FileSystem.sync(folder)
    }
}
