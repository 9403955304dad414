import ArchiveSupport
import CadangCore
import Foundation

/// `cadang key check --identity KEY`: proves that the key still opens the newest encrypted archive
/// of a sink that encrypts to it (the header only: no plaintext is written anywhere), and records
/// the date in the repository, which `run` looks at.
public struct KeyCheckAction {
    /// The key file.
    public var identity: String
    /// `--json`.
    public var json: Bool

    /// Creates the action.
    public init(identity: String, json: Bool) {
        self.identity = identity
        self.json = json
    }

    struct Report: Encodable {
        var keyFile: String
        var recipients: [String]
        var archive: String
        var sink: String
        var checked: String
    }

    /// Checks; exit 1 when the key does not open the archive, 4 when the archive is damaged.
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        guard let key = try ArchiveKey.load(identity) else { return .usage }
        let file = key.file
        let builder = JobBuilder(config: config, logger: session.logger)
        let repository = Repository(url: config.repository)

        var ours: [String] = []
        var newest: (set: BackupSet, archive: URL, sink: String)?
        for job in config.jobs {
            for sink in try builder.makeSinks(of: job) {
                guard let recipients = (sink.component as? any EncryptingSink)?.recipients else { continue }
                let shared = recipients.filter(key.recipients.contains)
                guard !shared.isEmpty else { continue }
                ours.append(contentsOf: shared.filter { !ours.contains($0) })
                for set in repository.sets(job: job.name).reversed() {
                    guard let archive = sink.component.archivedCopies(of: set).first(where: { ArchiveFormat(fileName: $0.lastPathComponent)?.encrypted == true })
                    else { continue }
                    if newest.map({ set.time > $0.set.time }) ?? true { newest = (set, archive, sink.name) }
                    break
                }
            }
        }
        guard !ours.isEmpty else {
            throw CadangError(.failure, "the key in \(file.path) (\(key.recipients.map(KeyChecks.short).joined(separator: ", "))) is not among the encrypt: recipients of any sink in \(session.configPath)",
                              fix: "add its public key to the sink's encrypt: recipients, or check the key that belongs to this shop")
        }
        guard let newest else {
            throw CadangError(.failure, "there is no encrypted archive to check yet", fix: "run a backup first (cadang run JOB), then check again")
        }
        guard try key.opens(newest.archive) else {
            throw CadangError(.failure, "the key in \(file.path) does NOT open \(newest.archive.path), the newest encrypted archive",
                              fix: "use the key that archive was encrypted to; if it is lost, make a new one with 'cadang key generate' and add it to the sink now")
        }
        let now = Date()
        let lock = try repository.lock(wait: 30, command: "cadang key check")
        defer { lock.release() }
        var checks = KeyChecks(repository: repository)
        for recipient in ours { try checks.record(recipient, archive: newest.archive, at: now) }
        if json {
            try JSONOutput.print(Report(keyFile: file.path, recipients: ours, archive: newest.archive.path, sink: newest.sink, checked: KeyChecks.format(now)))
        } else {
            session.say("ok: \(file.lastPathComponent) opens \(newest.archive.lastPathComponent), the newest encrypted archive of sink '\(newest.sink)' (set \(newest.set.id)); recorded \(KeyChecks.format(now).prefix(10)) — check again within 90 days")
        }
        return .success
    }
}
