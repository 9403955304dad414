import CadangCore
import Foundation

/// `cadang list [JOB]`: the committed sets, oldest first.
public struct ListAction {
    /// Only this job's sets.
    public var job: String?
    /// `--json`.
    public var json: Bool

    /// Creates the action.
    public init(job: String?, json: Bool) {
        self.job = job
        self.json = json
    }

    /// Prints the sets.
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        let sets = Repository(url: config.repository).sets(job: job)
        let copies = ArchivedCopies(config: config, logger: session.logger)
        if json {
            try JSONOutput.print(sets.map { SetSummary($0, copies: copies.of($0)) })
            return .success
        }
        if sets.isEmpty {
            session.say("no backup sets in \(config.repository.path)" + (job.map { " for job '\($0)'" } ?? ""))
            return .success
        }
        var rows = [["ID", "JOB", "TIME", "SIZE", "FILES", "COPIES", "DATASETS"]]
        for set in sets {
            let datasets = Array(Set(set.manifest.artifacts.map(\.dataset))).sorted()
            let shown = datasets.count > 4 ? datasets.prefix(4).joined(separator: ", ") + ", …" : datasets.joined(separator: ", ")
            let archived = Array(Set(copies.of(set).map(\.sink))).sorted().joined(separator: ", ")
            rows.append([set.id, set.job, Timestamp.localDateTime(set.time), ByteCount.format(set.totalBytes),
                         String(set.manifest.artifacts.count), archived.isEmpty ? "-" : archived, shown])
        }
        session.say(TextTable.render(rows))
        session.say("\(sets.count) set(s) in \(config.repository.path)")
        return .success
    }
}
