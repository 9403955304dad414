import CadangCore
import Foundation

/// `cadang run [JOB...]`: runs jobs and reports each set.
public struct RunAction {
    /// Jobs to run; empty means `auto`.
    public var jobs: [String]
    /// `--time`.
    public var time: Date?
    /// `--dry-run`: show the plan, write nothing.
    public var dryRun: Bool
    /// `--json`.
    public var json: Bool
    /// `--force`.
    public var force: Bool
    /// `--lock-wait`, seconds.
    public var lockWait: Double?

    /// Creates the action.
    public init(jobs: [String], time: Date?, dryRun: Bool, json: Bool, force: Bool, lockWait: Double?) {
        self.jobs = jobs
        self.time = time
        self.dryRun = dryRun
        self.json = json
        self.force = force
        self.lockWait = lockWait
    }

    private struct Report: Encodable {
        var job: String
        var status: String
        var exitCode: Int32
        var reason: String?
        var set: SetSummary?
        var error: String?
    }

    /// Runs; returns the exit status (the first failure's, else partial if any, else success).
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        let names = jobs.isEmpty ? ["auto"] : jobs
        let definitions = try names.map { name -> Config.JobDefinition in
            guard let job = config.job(named: name) else {
                throw CadangError(.usage, "\(session.configPath) has no job named '\(name)'",
                                  fix: "jobs: \(config.jobs.map(\.name).joined(separator: ", "))")
            }
            return job
        }
        let builder = JobBuilder(config: config, logger: session.logger)
        let repository = Repository(url: config.repository)

        if dryRun {
            for definition in definitions {
                let job = try builder.build(definition)
                session.say(plan(job, repository: repository))
            }
            return .success
        }

        var reports: [MergedReport] = []
        var firstFailure: ExitStatus?
        var partial = false
        let engine = RunEngine(repository: repository, tool: Session.tool, logger: session.logger)
        for definition in definitions {
            let sourceReports = SourceReports()
            // Each report below carries what the job's sources told about the run (pos: the ingest).
            func add(_ report: Report) {
                reports.append(MergedReport(base: report, parts: sourceReports.all.map { (key: $0.0, value: $0.1.json) }))
                if !json { for (_, part) in sourceReports.all { session.say(part.line) } }
            }
            let watch = JobWatch(config: config, job: definition, configPath: session.configPath, logger: session.logger)
            switch watch.start() {
            case .proceed: break
            case .skip(let reason):
                firstFailure = firstFailure ?? .unavailable
                add(Report(job: definition.name, status: "skipped", exitCode: ExitStatus.unavailable.rawValue, reason: reason))
                if !json { session.say("\(definition.name): no new set (\(reason))") }
                watch.finish(state: .skipped, exitCode: ExitStatus.unavailable.rawValue, set: nil, error: reason)
                continue
            case .fail(let error):
                firstFailure = firstFailure ?? error.status
                add(Report(job: definition.name, status: "failed", exitCode: error.status.rawValue, error: error.description))
                session.logger.error("\(error)")
                watch.finish(state: .fail, exitCode: error.status.rawValue, set: nil, error: error.description)
                continue
            }
            do {
                let job = try builder.build(definition)
                KeyChecks(repository: repository).warnOverdue(job, logger: session.logger)
                let outcome = try engine.run(job, options: RunOptions(time: time, force: force, lockWait: lockWait,
                                                                      command: "cadang run \(definition.name)",
                                                                      report: { sourceReports.add($0, $1) }))
                switch outcome {
                case .committed(let set, _, let status):
                    partial = partial || status == .partial
                    if !json { session.say(Self.line(job.name, set)) }
                    add(Report(job: job.name, status: "committed", exitCode: status.rawValue,
                               set: SetSummary(set, copies: ArchivedCopies.made(by: job.sinks, of: set))))
                    watch.finish(state: RunState(exitStatus: status, committed: true), exitCode: status.rawValue, set: set, error: nil)
                case .skipped(let reason):
                    add(Report(job: job.name, status: "skipped", exitCode: 0, reason: reason))
                    if !json { session.say("\(job.name): no new set (\(reason))") }
                    watch.finish(state: .skipped, exitCode: 0, set: nil, error: nil)
                case .committedButSinkFailed(let set, _, let error):
                    firstFailure = firstFailure ?? error.status
                    if !json { session.say(Self.line(job.name, set)) }
                    add(Report(job: job.name, status: "committed", exitCode: error.status.rawValue,
                               set: SetSummary(set, copies: ArchivedCopies.made(by: job.sinks, of: set)), error: error.description))
                    session.logger.error("job '\(definition.name)': \(error)")
                    watch.finish(state: RunState(exitStatus: error.status, committed: true), exitCode: error.status.rawValue,
                                 set: set, error: error.description)
                }
            } catch {
                // Whatever a plugin threw, the other jobs still run and the report is still printed.
                let error = (error as? ConfigError).map { CadangError(.usage, $0.diagnostics.map(\.description).joined(separator: "; ")) }
                    ?? CadangError.from(error, while: "the run")
                firstFailure = firstFailure ?? error.status
                add(Report(job: definition.name, status: "failed", exitCode: error.status.rawValue, error: error.description))
                session.logger.error("job '\(definition.name)': \(error)")
                watch.finish(state: RunState(exitStatus: error.status, committed: false), exitCode: error.status.rawValue,
                             set: nil, error: error.description)
            }
        }
        if json { try JSONOutput.print(reports) }
        return firstFailure ?? (partial ? .partial : .success)
    }

    /// The run reports of one job's sources, in the order they came.
    private final class SourceReports: @unchecked Sendable {
        private let lock = NSLock()
        private var reports: [(String, SourceRunReport)] = []
        func add(_ source: String, _ report: SourceRunReport) { lock.withLock { reports.append((source, report)) } }
        var all: [(String, SourceRunReport)] { lock.withLock { reports } }
    }

    private static func line(_ job: String, _ set: BackupSet) -> String {
        "\(job): set \(set.id) — \(set.manifest.artifacts.count) artifact(s), \(ByteCount.format(set.totalBytes)) in \(set.directory.path)"
    }

    private func plan(_ job: Job, repository: Repository) -> String {
        var lines = ["job \(job.name) → repository \(repository.url.path)"]
        for source in job.sources {
            let datasets = source.datasets.map { $0.sorted().joined(separator: ", ") } ?? "all datasets"
            lines.append("  source \(source.name) (\(type(of: source.source).descriptor.name)): \(datasets)")
        }
        for sink in job.sinks {
            lines.append("  sink \(sink.name) (\(type(of: sink.component).descriptor.name))")
        }
        for policy in job.policies {
            lines.append("  policy \(policy.name) (\(type(of: policy.component).descriptor.name))")
        }
        lines.append("  (dry run: nothing written)")
        return lines.joined(separator: "\n")
    }
}
