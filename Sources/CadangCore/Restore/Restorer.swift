import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Puts a snapshot back: pick and verify it, then, under the repository lock, let the source put it
/// in place (`RestorableSource.putBack`): into the live file when the source can (kasir: through
/// SQLite), otherwise by the rename path of `RestoreSteps` (save what is there as a
/// `before-restore` set, write beside the target, fsync, rename, remove stale companions, fsync
/// the folder), which is refused while another process has the target open.
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

    /// What restoring `artifact` of `set` to `target` will do: the source's approach, and who has
    /// the target open now.
    public func plan(_ set: BackupSet, _ artifact: Artifact, target: URL) -> RestorePlan {
        let companions = source.companions(of: target).filter(FileSystem.exists)
        let exists = FileSystem.exists(target)
        let approach = exists ? source.restoreApproach(for: target, snapshot: set.url(of: artifact)) : .rename(reason: nil)
        let holders = exists ? OpenFileHolders.scan(target) : .none
        switch approach {
        case .inPlace(_, let saves):
            return RestorePlan(set: set, artifact: artifact, target: target, filesToSave: saves, staleCompanions: [],
                               approach: approach, holders: holders)
        case .rename:
            return RestorePlan(set: set, artifact: artifact, target: target, filesToSave: exists ? [target] + companions : [],
                               staleCompanions: companions, approach: approach, holders: holders)
        }
    }

    /// Carries out a plan under the repository lock: the snapshot is verified again, then the
    /// source puts it back (by default through the rename path).
    public func restore(_ plan: RestorePlan, force: Bool, lockWait: Double?) throws -> RestoreOutcome {
        let lock = try repository.lock(wait: lockWait, command: "cadang restore")
        defer { lock.release() }
        _ = try repository.sweepLeftovers()
        try verify(plan.set, plan.artifact)
        return try source.putBack(RestoreSteps(plan: plan, force: force, restorer: self))
    }

    /// Writes `files` as a `before-restore` set and commits it (listed, durable) before returning,
    /// so that the restore that follows can never lose what was there.
    func saveSafetySet(_ files: [SafetyFile], plan: RestorePlan) throws -> BackupSet? {
        guard !files.isEmpty else { return nil }
        let staged = try repository.beginSet(job: Self.beforeRestoreJob, time: Date())
        var warnings: [String] = []
        do {
            let targetName = plan.target.lastPathComponent
            for file in files {
                let copy = staged.scratchDirectory.appendingPathComponent(file.name)
                let digest = try file.write(copy)
                let companion = file.name != targetName
                var format = companion ? "companion" : plan.artifact.format
                if !companion, !file.checked, (try? source.checkSnapshot(copy)) == nil {
                    // Often why one restores: the file is damaged. It is kept as it was, but not
                    // recorded as a database, so `verify` does not report the safety set as damage.
                    format = "unchecked"
                    warnings.append("\(file.name) did not pass the format check before the restore; it is kept byte for byte as it was")
                }
                try staged.add(FileDataset(name: companion ? "\(source.restorableDataset)-\(Self.suffix(of: file.name, target: targetName))" : source.restorableDataset,
                                           fileName: file.name, format: format, url: copy, sha256: digest),
                               path: file.name)
            }
            let entry = Manifest.SourceEntry(name: "before-restore", plugin: type(of: source).descriptor.name,
                                             description: "\(plan.target.path) as it was before restoring \(plan.set.id)")
            return try staged.commit(sources: [entry], warnings: warnings, tool: tool)
        } catch {
            staged.discard()
            throw error
        }
    }

    private static func suffix(of name: String, target base: String) -> String {
        name.hasPrefix(base + "-") ? String(name.dropFirst(base.count + 1)) : name
    }

    /// Writes the snapshot beside the target under a temporary name, fsyncs it, renames it over
    /// the target, removes `stale` companions and fsyncs the folder.
    func replace(_ plan: RestorePlan, stale: [URL]) throws {
        let folder = plan.target.deletingLastPathComponent()
        guard FileSystem.exists(folder) else {
            throw CadangError(.failure, "cannot restore to \(plan.target.path): folder \(folder.path) does not exist", fix: "create it first")
        }
        let temporary = folder.appendingPathComponent(".\(plan.target.lastPathComponent).cadang-restore")
        try? FileSystem.remove(temporary)
        do {
            try FileSystem.copy(plan.snapshot, to: temporary)
            let (digest, _) = try FileSystem.sha256(of: temporary)
            guard digest == plan.artifact.sha256 else {
                throw CadangError(.failure, "the copy of \(plan.artifact.path) next to \(plan.target.path) does not match its manifest", fix: "check the disk")
            }
            // The file is the app's: it keeps its owner and mode (the app may run as another user
            // and could not open a root-owned 0600 file). A new file stays 0600.
            var old = stat()
            if stat(plan.target.path, &old) == 0 {
                _ = chown(temporary.path, old.st_uid, old.st_gid)  // EPERM when not root: then it is ours, as before
                if chmod(temporary.path, old.st_mode & 0o7777) != 0 { throw CadangError.system("set the mode of", temporary.path, errno: errno) }
            }
            try FileSystem.rename(temporary, to: plan.target)
        } catch {
            try? FileSystem.remove(temporary)
            throw error
        }
        for companion in stale { try FileSystem.remove(companion) }
        try FileSystem.sync(folder)
    }
}

/// The generic steps of a restore that a source's `putBack` combines: who has the target open,
/// the before-restore set, and the rename path. Made by `Restorer.restore`, with the repository
/// lock held and the snapshot verified.
public final class RestoreSteps {
    /// What is being restored where.
    public let plan: RestorePlan
    /// `--force`: go ahead where a check refuses.
    public let force: Bool
    private let restorer: Restorer

    init(plan: RestorePlan, force: Bool, restorer: Restorer) {
        self.plan = plan
        self.force = force
        self.restorer = restorer
    }

    /// Diagnostics, for warnings such as "restoring anyway (--force)".
    public var logger: Logger { restorer.logger }

    /// The other processes that have the target open now.
    public func holders() -> OpenFileHolders.Scan {
        OpenFileHolders.scan(plan.target)
    }

    /// Writes `files` as the before-restore set and commits it; nil when `files` is empty.
    public func saveSafetySet(_ files: [SafetyFile]) throws -> BackupSet? {
        try restorer.saveSafetySet(files, plan: plan)
    }

    /// The rename path: claim the target, save it and its companions as they are, write the
    /// snapshot beside it, rename it over it, remove the stale companions. Renaming over a file
    /// that a program has open leaves that program on the deleted old file (writes fail, reads are
    /// stale, until it is restarted), so it is refused while any other process has the target
    /// open, naming them, unless `force`. `reason` says why the target cannot be restored in place.
    public func replaceByRename(because reason: String?) throws -> RestoreOutcome {
        let target = plan.target
        guard FileSystem.exists(target) else {
            // A journal left without its database would be rolled back into the restored file.
            try restorer.replace(plan, stale: restorer.source.companions(of: target).filter(FileSystem.exists))
            return RestoreOutcome(method: .renamed(reason: reason), safety: nil, holders: .none)
        }
        // Looked at before the claim (to name them rather than only find a lock) and again with
        // the claim held, which narrows the time in which a program could open it unseen.
        var scan = holders()
        try refuseWhileOpen(scan, reason: reason)
        let claim = try restorer.source.claim(target, force: force)
        defer { claim.release() }
        scan = holders()
        try refuseWhileOpen(scan, reason: reason)
        let companions = restorer.source.companions(of: target).filter(FileSystem.exists)
        let safety = try saveSafetySet(([target] + companions).map(SafetyFile.copy))
        try restorer.replace(plan, stale: companions)
        return RestoreOutcome(method: .renamed(reason: reason), safety: safety, holders: scan)
    }

    private func refuseWhileOpen(_ scan: OpenFileHolders.Scan, reason: String?) throws {
        guard !scan.holders.isEmpty else { return }
        let why = reason.map { " (\($0))" } ?? ""
        let them = scan.holders.count == 1 ? "it" : "them"
        guard force else {
            throw CadangError(.failure, "\(plan.target.path) is open in \(scan.names()): it can only be replaced by renaming over it\(why), which would leave \(them) on the old, deleted file",
                              fix: "close \(them) (the app) and run the restore again, or pass --force and restart \(them) right after")
        }
        logger.warning("restoring anyway (--force): \(plan.target.path) is open in \(scan.names()); restart \(them) right after")
    }
}
