import ArchiveSupport
import CadangCore
import Foundation

/// `cadang restore [JOB] [--set ID|latest] [--to PATH] [--yes] [--dry-run] [--force]`, and
/// `cadang restore [JOB] --from-archive FILE [--to DIR] [--yes]`: runs the restore operation of the
/// job's source (or of the config's only source that has one). What it puts back, and how, is the
/// plugin's (kasir: the database, through `SnapshotRestore`); the host picks the source, unpacks an
/// archive, and passes the flags.
public struct RestoreAction {
    /// Only sets of this job (and its sources).
    public var job: String?
    /// A set id, or nil / `latest` for the newest.
    public var setID: String?
    /// Restore here instead of the source's own place (a folder means the same file name inside it).
    public var destination: String?
    /// Do not ask.
    public var yes: Bool
    /// Say what would happen; change nothing.
    public var dryRun: Bool
    /// Restore even where a check refuses (e.g. another program holds the file).
    public var force: Bool
    /// `--lock-wait`, seconds.
    public var lockWait: Double?
    /// `--from-archive`: restore from this set archive instead of the repository.
    public var archive: String?
    /// `--identity`: the key file that opens an encrypted archive.
    public var identity: String?
    /// `--json`.
    public var json: Bool
    /// Options for the restore operation (`session` → `42`).
    public var operationOptions: [String: String]

    /// Creates the action.
    public init(job: String?, setID: String?, destination: String?, yes: Bool, dryRun: Bool, force: Bool, lockWait: Double?,
                archive: String? = nil, identity: String? = nil, json: Bool = false, operationOptions: [String: String] = [:]) {
        self.archive = archive
        self.identity = identity
        self.job = job
        self.setID = setID
        self.destination = destination
        self.yes = yes
        self.dryRun = dryRun
        self.force = force
        self.lockWait = lockWait
        self.json = json
        self.operationOptions = operationOptions
    }

    /// Restores; returns the exit status.
    public func execute(in session: Session) throws -> ExitStatus {
        // The key first: its passphrase is asked before anything else happens.
        let key = try ArchiveKey.load(identity)
        if let archive, let destination { return try ArchiveExtraction(archive: archive, folder: destination, key: key).execute(in: session) }
        let config = try session.loadConfig()
        let runner = OperationRunner(config: config, session: session)
        let participant = try restoringSource(config, runner: runner, session: session)
        let flags = OperationRunner.Flags(dryRun: dryRun, json: json, yes: yes, lockWait: lockWait)
        // Safety sets are restored by their job name but belong to no configured job.
        let contextJob = job

        guard let archive else {
            // A restore that declares its own `to` (pos: the last order day) takes `--to` as that.
            var options = operationOptions
            var destination = destination
            if let value = destination, participant.spec.options.contains(where: { $0.name == "to" }) {
                options["to"] = value
                destination = nil
            }
            let request = RestoreRequest(origin: .repository(setID: setID == "latest" ? nil : setID), destination: destination,
                                         force: force, tool: Session.tool)
            return try finish(runner.run(.restore, [participant], job: contextJob, options: options, flags: flags, restore: request))
        }
        // Checked entry by entry while it is unpacked beside where it goes (same filesystem, and
        // space is needed there anyway); then restored exactly as from a set.
        let anchor = destination.map(Self.url) ?? (participant.source as? any RestorableSource)?.restoreTarget
            ?? config.repository.appendingPathComponent("restore")
        let staging = try ArchiveExtraction.stagingFolder(beside: anchor)
        defer { try? FileSystem.remove(staging) }
        let contents = try SetArchiveReader(url: Self.url(archive), key: key).read(extractingInto: staging)
        let request = RestoreRequest(origin: .archive(BackupSet(manifest: contents.manifest, directory: staging), path: Self.url(archive).path),
                                     destination: destination, force: force, tool: Session.tool)
        return try finish(runner.run(.restore, [participant], job: contextJob, options: operationOptions, flags: flags, restore: request))
    }

    private func finish(_ outcomes: [OperationRunner.Outcome]) throws -> ExitStatus {
        let parts = OperationRunner.reportParts(outcomes)
        if json, !parts.isEmpty { try JSONOutput.print(MergedReport(parts: parts)) }
        return OperationRunner.status(outcomes)
    }

    static func url(_ path: String) -> URL {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
    }

    /// The job's source with a restore operation, or the config's only one.
    private func restoringSource(_ config: Config, runner: OperationRunner, session: Session) throws -> OperationRunner.Participant {
        if let job, job != Restorer.beforeRestoreJob, config.job(named: job) == nil {
            throw CadangError(.usage, "\(session.configPath) has no job named '\(job)'", fix: "jobs: \(config.jobs.map(\.name).joined(separator: ", "))")
        }
        let ofJob = job == Restorer.beforeRestoreJob ? nil : job
        let participants = try runner.participants(.restore, job: ofJob)
        guard let first = participants.first else {
            throw CadangError(.usage, "nothing to restore: \(ofJob.map { "job '\($0)' has" } ?? "the config has") no source that can be restored",
                              fix: "restore needs a source whose plugin adds a restore operation (see 'cadang plugins')")
        }
        if ofJob == nil, participants.count > 1 {
            throw CadangError(.usage, "the config has \(participants.count) sources that can be restored (\(participants.map(\.name).joined(separator: ", ")))",
                              fix: "name the job to restore, e.g. cadang restore \(config.jobs.first?.name ?? "JOB")")
        }
        return first
    }
}
