import CadangCore
import Foundation
import Logging

/// `retention`: after each successful run of its job, removes the job's old sets that none of its
/// rules keeps, exactly as restic's `forget` decides (DESIGN.md §6). `cadang prune` applies the same
/// rules on demand.
///
/// A policy without any rule is refused when the job is built (config check, run): it would remove
/// every set. Only the job's own sets are ever considered. The set just committed is the newest, so
/// every non-empty policy keeps it; this is checked, not assumed: when a `--time` in the past makes it
/// older than the job's newest sets and the rules would remove it, nothing is removed (a warning). A job
/// lists at most one retention policy (`onePerJob`; the config check refuses a second).
public struct RetentionPolicy: RetentionProviding {
    /// The shortest `records.older_than` accepted (the sources enforce it again on their flags).
    static let recordMinimum = 7.0 * 86_400

    /// The options of `records:`.
    static let recordSpecs = [
        OptionSpec("older_than", .duration, required: true, doc: "Records whose own date is older than this (e.g. 30d)."),
        OptionSpec("states", .stringList, doc: "Only records in these states (default: the source's own default)."),
    ]

    public static let descriptor = PluginDescriptor(
        kind: .policy, name: "retention",
        summary: "After each successful run, removes the job's sets that no keep_* rule keeps (restic's forget; rules are ORed).",
        options: RetentionRules.optionSpecs + [
            OptionSpec("records", .group(recordSpecs),
                       doc: "For sources that keep records (e.g. orders): `cadang prune` also deletes records older than older_than, in states."),
        ],
        onePerJob: true)

    /// A policy with no keep_* rule would remove every set; the keep_* options must be rules.
    public static func check(_ options: PluginOptions) -> [OptionProblem] {
        var problems = RetentionRules.problems(in: options)
        // Records are the shop's only copy once the till has dropped them: never less than a week.
        if let records = options.group("records", specs: recordSpecs), let olderThan = records.duration("older_than"),
           olderThan < recordMinimum {
            problems.append(OptionProblem(option: "records.older_than", "is \(DurationText.format(olderThan)); records are kept at least 7 days",
                                          fix: "use older_than: 7d or more"))
        }
        if problems.isEmpty, (try? RetentionRules(options: options))?.isEmpty == true {
            problems.append(OptionProblem(option: nil, "has no keep_* rule, so it would remove every set",
                                          fix: "add a rule such as keep_last: 10 or keep_daily: 7"))
        }
        return problems
    }

    /// The rules.
    public let rules: RetentionRules
    /// The record rules, if `records:` is set.
    public let recordRules: RecordRules?
    public var retentionRules: RetentionRules { rules }
    /// The instance name in the config.
    public let name: String
    private let logger: Logger

    public init(configuration: PluginConfiguration) throws {
        name = configuration.name
        logger = configuration.logger
        rules = try RetentionRules(options: configuration.options)
        recordRules = configuration.options.group("records", specs: Self.recordSpecs).map { records in
            RecordRules(olderThan: records.duration("older_than") ?? 0, states: records.list("states"))
        }
        if rules.isEmpty {
            throw CadangError(.usage, "retention policy '\(configuration.name)' has no keep_* rule, so it would remove every set",
                              fix: "add a rule such as keep_last: 10 or keep_daily: 7")
        }
    }

    public func afterCommit(_ set: BackupSet, context: JobContext) throws {
        let repository = context.repository
        let sets = repository.sets(job: set.job)
        let plan = RetentionPlanner.plan(sets.reversed().map { ($0.id, $0.time) }, rules: rules)
        if let refusal = plan.refusal(rules: rules, allowRemoveAll: false) {
            context.warnings.skipped("retention policy '\(name)' removed nothing: \(refusal.message)")
            return
        }
        guard !plan.remove.contains(where: { $0.id == set.id }) else {
            // Only when the set was written with an older --time than the job's newest sets.
            context.warnings.warn("retention policy '\(name)' removed nothing: its rules would remove the set just written (\(set.id)), which is older than the job's newest sets")
            return
        }
        let byID = Dictionary(uniqueKeysWithValues: sets.map { ($0.id, $0) })
        var removed = 0
        for entry in plan.remove {
            guard let doomed = byID[entry.id], doomed.job == set.job else { continue }
            do {
                // The engine holds the repository lock for the whole run, this included.
                try repository.remove(doomed)
                removed += 1
            } catch {
                context.warnings.skipped("retention policy '\(name)' could not remove set \(entry.id): \(error)")
                return
            }
        }
        if removed > 0 {
            logger.info("retention policy '\(name)' (\(rules)): removed \(removed) old set(s) of job '\(set.job)', kept \(plan.keep.count)")
        }
    }
}
