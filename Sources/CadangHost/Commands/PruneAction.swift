import CadangCore
import Foundation

/// `cadang prune [JOB]` (alias `cleanup`): applies retention, restic's `forget` (DESIGN.md §6).
///
/// Which rules apply to a job: the `--keep-*` flags when any is given (they replace the config's
/// rules entirely), else the rules of the job's policy that provides them (`RetentionProviding`),
/// else — for the `before-restore` sets that restores save — `keep_last: 10`. A job with two such
/// policies is refused (exit 2); so is a job with no rules, an empty rule set, or a plan that removes
/// every set of a job, unless `--allow-remove-all`. Every job is planned and checked before anything
/// is removed. Then the prune operation of each of the job's sources that keep records runs, with
/// the record rules of the job's policy (`records: {older_than, states}`) and the operation options.
///
/// Without JOB: every job of the config that has a retention policy (or, with flags, every job of
/// the config), each on its own, plus the `before-restore` sets by their own rule. Sets of jobs
/// that are not in the config are never touched unless named as JOB.
///
/// Removal takes the repository lock, sweeps leftovers first, and unlists each set by one rename
/// before deleting its files, so a prune killed at any point leaves only whole sets listed.
/// `--dry-run` reads only: no lock, nothing removed.
public struct PruneAction {
    /// Only this job.
    public var job: String?
    /// Rules from the command line, by option name (`keep_daily` → `7`); empty when none given.
    public var rules: [String: String]
    /// `--dry-run`.
    public var dryRun: Bool
    /// `--json`.
    public var json: Bool
    /// `--allow-remove-all`.
    public var allowRemoveAll: Bool
    /// `--lock-wait`, seconds.
    public var lockWait: Double?
    /// Options for the sources' prune operations (`older_than` → `30d`).
    public var operationOptions: [String: String]

    /// The rule for `before-restore` sets when no flag gives one.
    public static let beforeRestoreRules = RetentionRules(keepLast: 10)

    /// Creates the action.
    public init(job: String?, rules: [String: String], dryRun: Bool, json: Bool, allowRemoveAll: Bool, lockWait: Double?,
                operationOptions: [String: String] = [:]) {
        self.operationOptions = operationOptions
        self.job = job
        self.rules = rules
        self.dryRun = dryRun
        self.json = json
        self.allowRemoveAll = allowRemoveAll
        self.lockWait = lockWait
    }

    struct KeptEntry: Encodable {
        var id: String
        var job: String
        var time: String
        var reasons: [String]
    }

    struct RemovedEntry: Encodable {
        var id: String
        var job: String
        var time: String
    }

    struct JobReport: Encodable {
        var job: String
        var rules: String
        var keep: Int
        var remove: Int
    }

    struct Report: Encodable {
        var dryRun: Bool
        var jobs: [JobReport]
        var keep: [KeptEntry]
        var remove: [RemovedEntry]

        enum CodingKeys: String, CodingKey {
            case dryRun = "dry_run", jobs, keep, remove
        }
    }

    /// The record rules of the job's retention policy, if it has one with them.
    static func recordRules(of definition: Config.JobDefinition, config: Config, session: Session) throws -> RecordRules? {
        try configured(definition, config: config, session: session)?.records
    }

    /// One job's rules and plan.
    private struct Target {
        var job: String
        var rules: RetentionRules
        /// Where the rules come from, for messages.
        var origin: String
        /// The policy's record rules, for the job's sources that keep records.
        var records: RecordRules? = nil
        var sets: [BackupSet] = []
        var plan = RetentionPlan()
    }

    /// Plans, checks and (unless `--dry-run`) removes.
    public func execute(in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        let repository = Repository(url: config.repository)
        let flags = try rules.isEmpty ? nil : RetentionRules(rules)
        var targets = try choose(config: config, repository: repository, flags: flags, session: session)
        let runner = OperationRunner(config: config, session: session)
        let participants = try targets.flatMap { target in
            try runner.participants(.prune, job: target.job).map { (target, $0) }
        }
        // Options are checked before anything is removed.
        _ = try runner.validate(operationOptions, for: participants.map(\.1), verb: .prune)

        var lock: RepositoryLock?
        defer { lock?.release() }
        if !dryRun, !targets.isEmpty {
            lock = try repository.lock(wait: lockWait, command: "cadang prune" + (job.map { " \($0)" } ?? ""))
            if let stale = lock?.tookOverFrom { session.logger.notice("took over a stale lock left by \(stale)") }
            let swept = try repository.sweepLeftovers()
            if !swept.isEmpty { session.logger.info("removed \(swept.count) leftover(s) of an interrupted run or prune") }
        }

        let now = Date()
        for index in targets.indices {
            let sets = repository.sets(job: targets[index].job)
            targets[index].sets = sets
            // Newest first; of two sets at one time, the later written (larger id) counts as newer.
            targets[index].plan = RetentionPlanner.plan(sets.reversed().map { ($0.id, $0.time) },
                                                        rules: targets[index].rules, now: now)
        }
        for target in targets {
            if let refusal = target.plan.refusal(rules: target.rules, allowRemoveAll: allowRemoveAll) {
                throw CadangError(.usage, "job '\(target.job)' (\(target.origin)): \(refusal.message)", fix: refusal.fix)
            }
        }

        var report = Report(dryRun: dryRun, jobs: [], keep: [], remove: [])
        for target in targets {
            let byID = Dictionary(uniqueKeysWithValues: target.sets.map { ($0.id, $0) })
            func time(_ id: String) -> String { byID[id]?.manifest.time ?? "" }
            if !json {
                session.say("job \(target.job): keep \(target.plan.keep.count), remove \(target.plan.remove.count)"
                            + " (\(target.rules), from \(target.origin))")
            }
            report.jobs.append(JobReport(job: target.job, rules: target.rules.description,
                                         keep: target.plan.keep.count, remove: target.plan.remove.count))
            for kept in target.plan.keep {
                report.keep.append(KeptEntry(id: kept.id, job: target.job, time: time(kept.id), reasons: kept.reasons))
                if !json { session.say("keep   \(kept.id)  \(time(kept.id))  " + kept.reasons.joined(separator: ", ")) }
            }
            for removed in target.plan.remove {
                report.remove.append(RemovedEntry(id: removed.id, job: target.job, time: time(removed.id)))
                if !json { session.say("remove \(removed.id)  \(time(removed.id))") }
            }
            guard !dryRun else { continue }
            for removed in target.plan.remove {
                guard let set = byID[removed.id], set.job == target.job else { continue }
                try repository.remove(set)
                session.logger.debug("removed set \(set.id) of job '\(set.job)'")
            }
        }
        var outcomes: [OperationRunner.Outcome] = []
        if !participants.isEmpty {
            // The set lock is the operations' lock too (a prune operation's locking is the host's).
            lock?.release()
            lock = nil
            for (target, participant) in participants {
                let records = target.records.map { [participant.name: $0] } ?? [:]
                outcomes += try runner.run(.prune, [participant], job: target.job, options: operationOptions,
                                           flags: .init(dryRun: dryRun, json: json, lockWait: lockWait), recordRules: records)
            }
        }
        if json {
            if participants.isEmpty {
                try JSONOutput.print(report)
            } else {
                try JSONOutput.print(MergedReport(base: report, parts: OperationRunner.reportParts(outcomes)))
            }
        } else if dryRun {
            session.say("(dry run: nothing removed)")
        } else {
            session.say("removed \(report.remove.count) set(s), kept \(report.keep.count)")
        }
        return OperationRunner.status(outcomes)
    }

    private func choose(config: Config, repository: Repository, flags: RetentionRules?, session: Session) throws -> [Target] {
        let beforeRestore = Restorer.beforeRestoreJob
        if let job {
            if config.job(named: job) == nil, job != beforeRestore, repository.sets(job: job).isEmpty {
                throw CadangError(.usage, "\(session.configPath) has no job named '\(job)' and the repository has no sets of it",
                                  fix: "jobs: \(config.jobs.map(\.name).joined(separator: ", "))")
            }
            if let flags { return [Target(job: job, rules: flags, origin: "command line")] }
            if let definition = config.job(named: job) {
                if let target = try Self.configured(definition, config: config, session: session) { return [target] }
                if job != beforeRestore {
                    throw CadangError(.usage, "no retention rules for job '\(job)': add a retention policy to the job or pass --keep-…",
                                      fix: "e.g. cadang prune \(job) --keep-daily 7 --dry-run")
                }
            }
            if job == beforeRestore {
                return [Target(job: job, rules: Self.beforeRestoreRules, origin: "the before-restore default")]
            }
            throw CadangError(.usage, "no retention rules for job '\(job)': it is not in \(session.configPath), so pass --keep-…",
                              fix: "e.g. cadang prune \(job) --keep-last 10 --dry-run")
        }

        var targets: [Target] = []
        for definition in config.jobs {
            if let flags {
                targets.append(Target(job: definition.name, rules: flags, origin: "command line"))
            } else if let target = try Self.configured(definition, config: config, session: session) {
                targets.append(target)
            }
        }
        if targets.isEmpty {
            throw CadangError(.usage, "no retention rules for any job: add a retention policy to a job or pass --keep-…",
                              fix: "e.g. cadang prune auto --keep-daily 7 --dry-run")
        }
        targets.append(Target(job: beforeRestore, rules: Self.beforeRestoreRules, origin: "the before-restore default"))
        return targets
    }

    /// The rules of the job's policy that provides them; `nil` when it has none.
    private static func configured(_ definition: Config.JobDefinition, config: Config, session: Session) throws -> Target? {
        let builder = JobBuilder(config: config, logger: session.logger)
        var providers: [(name: String, policy: any RetentionProviding)] = []
        for name in definition.policies {
            guard let component = config.component(.policy, name) else { continue }
            let policy = try ErrorReport.attributed(to: "policy '\(name)'") { try builder.makePolicy(component) }
            if let provider = policy as? any RetentionProviding { providers.append((name, provider)) }
        }
        guard let provider = providers.first else { return nil }
        guard providers.count == 1 else {
            throw CadangError(.usage, "job '\(definition.name)' has \(providers.count) retention policies (\(providers.map(\.name).joined(separator: ", ")))",
                              fix: "keep one retention policy per job and put all its keep_* rules in it")
        }
        return Target(job: definition.name, rules: provider.policy.retentionRules, origin: "policy '\(provider.name)'",
                      records: provider.policy.recordRules)
    }
}
