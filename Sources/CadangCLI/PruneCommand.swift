import ArgumentParser
import CadangCore
import CadangHost

struct PruneCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove old backup sets by retention rules (restic's forget); --keep-* flags override the config.",
        discussion: """
            Without JOB: every job with a retention policy in the config, each on its own, plus the \
            before-restore sets (keep the last 10 unless the flags say otherwise for JOB before-restore). \
            Counts take -1 (--keep-daily -1) or 'unlimited' for all; spans look like 1y2m3d4h (m = months).
            """,
        aliases: ["cleanup"])

    @OptionGroup var global: GlobalOptions

    @OptionGroup var operation: OperationWords

    var job: String? { operation.job }

    var operationOptions: [String: String] { operation.options }

    @Option(parsing: .unconditional, help: ArgumentHelp("Keep the newest N sets.", valueName: "N")) var keepLast: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Keep the newest set of each of the newest N hours that have sets.", valueName: "N")) var keepHourly: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Keep the newest set of each of the newest N days that have sets.", valueName: "N")) var keepDaily: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Keep the newest set of each of the newest N ISO weeks that have sets.", valueName: "N")) var keepWeekly: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Keep the newest set of each of the newest N months that have sets.", valueName: "N")) var keepMonthly: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Keep the newest set of each of the newest N years that have sets.", valueName: "N")) var keepYearly: String?
    @Option(help: ArgumentHelp("Keep every set within SPAN before the newest set (e.g. 1y2m3d4h).", valueName: "SPAN")) var keepWithin: String?
    @Option(help: ArgumentHelp("Keep the newest set of every hour within SPAN.", valueName: "SPAN")) var keepWithinHourly: String?
    @Option(help: ArgumentHelp("Keep the newest set of every day within SPAN.", valueName: "SPAN")) var keepWithinDaily: String?
    @Option(help: ArgumentHelp("Keep the newest set of every ISO week within SPAN.", valueName: "SPAN")) var keepWithinWeekly: String?
    @Option(help: ArgumentHelp("Keep the newest set of every month within SPAN.", valueName: "SPAN")) var keepWithinMonthly: String?
    @Option(help: ArgumentHelp("Keep the newest set of every year within SPAN.", valueName: "SPAN")) var keepWithinYearly: String?

    @Flag(help: "Show what would be kept and removed; remove nothing.")
    var dryRun = false

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @Flag(help: "Allow rules that remove every set of a job (or no rules at all).")
    var allowRemoveAll = false

    @Option(help: "Wait this long for another run to release the repository (e.g. 30s, 10m).")
    var lockWait: DurationArgument?

    /// The given `--keep-*` flags by option name.
    var rules: [String: String] {
        let all: [(String, String?)] = [
            ("keep_last", keepLast), ("keep_hourly", keepHourly), ("keep_daily", keepDaily), ("keep_weekly", keepWeekly),
            ("keep_monthly", keepMonthly), ("keep_yearly", keepYearly), ("keep_within", keepWithin),
            ("keep_within_hourly", keepWithinHourly), ("keep_within_daily", keepWithinDaily),
            ("keep_within_weekly", keepWithinWeekly), ("keep_within_monthly", keepWithinMonthly),
            ("keep_within_yearly", keepWithinYearly),
        ]
        return Dictionary(uniqueKeysWithValues: all.compactMap { name, value in value.map { (name, $0) } })
    }

    func perform() throws -> ExitStatus {
        try PruneAction(job: job, rules: rules, dryRun: dryRun, json: json, allowRemoveAll: allowRemoveAll,
                        lockWait: lockWait?.seconds, operationOptions: operationOptions)
            .execute(in: global.session(progress: !json))
    }
}
