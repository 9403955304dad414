import ArchiveSupport
import CadangCore
import Foundation

/// `cadang restore [JOB] [--set ID|latest] [--to PATH] [--yes] [--dry-run] [--force]`, and
/// `cadang restore [JOB] --from-archive FILE [--to DIR] [--yes]`.
public struct RestoreAction {
    /// Only sets of this job (and its restorable source).
    public var job: String?
    /// A set id, or nil / `latest` for the newest.
    public var setID: String?
    /// Restore here instead of the source's own file (a folder means the same file name inside it).
    public var destination: String?
    /// Do not ask.
    public var yes: Bool
    /// Say what would happen; change nothing.
    public var dryRun: Bool
    /// Restore even while another program holds the file.
    public var force: Bool
    /// `--lock-wait`, seconds.
    public var lockWait: Double?
    /// `--from-archive`: restore from this set archive instead of the repository.
    public var archive: String?
    /// Reads the answer to the confirmation question (standard input by default).
    public var readAnswer: () -> String?

    /// Creates the action.
    public init(job: String?, setID: String?, destination: String?, yes: Bool, dryRun: Bool, force: Bool, lockWait: Double?,
                archive: String? = nil, readAnswer: @escaping () -> String? = { readLine() }) {
        self.archive = archive
        self.job = job
        self.setID = setID
        self.destination = destination
        self.yes = yes
        self.dryRun = dryRun
        self.force = force
        self.lockWait = lockWait
        self.readAnswer = readAnswer
    }

    /// Restores; returns the exit status.
    public func execute(in session: Session) throws -> ExitStatus {
        if let archive, destination != nil { return try ArchiveExtraction(archive: archive, folder: destination!).execute(in: session) }
        let config = try session.loadConfig()
        let source = try restorableSource(config, session: session)
        let repository = Repository(url: config.repository)
        let restorer = Restorer(repository: repository, source: source, tool: Session.tool, logger: session.logger)
        let target = target(for: source)
        if let archive {
            // Checked entry by entry while it is unpacked beside the target; then restored exactly as
            // from a set, which checks the snapshot again.
            let staging = try ArchiveExtraction.stagingFolder(beside: target)
            defer { try? FileSystem.remove(staging) }
            let contents = try SetArchiveReader(url: Self.url(archive)).read(extractingInto: staging)
            let set = BackupSet(manifest: contents.manifest, directory: staging)
            if let job, job != set.job {
                throw CadangError(.usage, "archive \(archive) holds a set of job '\(set.job)', not '\(job)'", fix: "leave out the job name")
            }
            guard let artifact = set.manifest.artifacts.first(where: { $0.dataset == source.restorableDataset }) else {
                throw CadangError(.usage, "archive \(archive) holds no \(source.restorableDataset) snapshot", fix: "pick an archive of a job that backs it up")
            }
            return try restore(set, artifact, target: target, restorer: restorer, session: session, from: "archive \(Self.url(archive).path)")
        }
        let (set, artifact) = try restorer.pick(id: setID == "latest" ? nil : setID, job: job)
        return try restore(set, artifact, target: target, restorer: restorer, session: session, from: "set \(set.id)")
    }

    private func restore(_ set: BackupSet, _ artifact: Artifact, target: URL, restorer: Restorer, session: Session, from origin: String) throws -> ExitStatus {
        let plan = restorer.plan(set, artifact, target: target)
        try restorer.verify(set, artifact)

        if dryRun {
            session.say(plan.description)
            session.say("(dry run: nothing changed; the snapshot's SHA-256 and format check passed)")
            return .success
        }
        if !yes {
            FileHandle.standardError.write(Data((plan.description + "\nRestore now? [y/N] ").utf8))
            let answer = readAnswer()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard ["y", "yes", "ya"].contains(answer) else {
                session.say("not restored")
                return .failure
            }
        }
        let safety = try restorer.restore(plan, force: force, lockWait: lockWait)
        session.say("restored \(plan.target.path) from \(origin) (\(set.manifest.time))")
        if let safety { session.say("the previous file is saved as set \(safety.id) (job \(Restorer.beforeRestoreJob))") }
        return .success
    }

    static func url(_ path: String) -> URL {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
    }

    private func target(for source: any RestorableSource) -> URL {
        guard let destination else { return source.restoreTarget }
        let url = URL(fileURLWithPath: (destination as NSString).expandingTildeInPath).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url.appendingPathComponent(source.restoreTarget.lastPathComponent)
        }
        return url
    }

    /// The job's restorable source, or the config's only one.
    func restorableSource(_ config: Config, session: Session) throws -> any RestorableSource {
        let builder = JobBuilder(config: config, logger: session.logger)
        var candidates: [Config.Component] = []
        if let job, job != Restorer.beforeRestoreJob {
            guard let definition = config.job(named: job) else {
                throw CadangError(.usage, "\(session.configPath) has no job named '\(job)'", fix: "jobs: \(config.jobs.map(\.name).joined(separator: ", "))")
            }
            candidates = definition.sources.compactMap { config.component(.source, $0.source) }
        } else {
            candidates = config.components.filter { $0.kind == .source }
        }
        for component in candidates {
            if let source = try builder.makeSource(component) as? any RestorableSource { return source }
        }
        throw CadangError(.usage, "nothing to restore: \(job.map { "job '\($0)' has" } ?? "the config has") no source that can be restored",
                          fix: "restore needs a source such as kasir-sqlite")
    }
}
