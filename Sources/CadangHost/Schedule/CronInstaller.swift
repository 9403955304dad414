import CadangCore
import Foundation

/// The plans that put scheduled runs into cron: `/etc/cron.d/cadang` (user field `root`; cron
/// rereads the folder by itself, so nothing is called), or with `--user` cadang's block of the
/// user's crontab (`crontab -`), keeping every other line.
struct CronInstaller {
    var target: ScheduleTarget
    /// The config, named in the block's comment.
    var config: String

    /// Adds or replaces the entries of `runs`; throws (exit 2) for a schedule cron cannot say.
    func install(_ runs: [ScheduledRun]) throws -> SchedulePlan {
        let entries = try runs.map { try CronBlock.entry($0, user: target.user ? nil : "root") }
        return try change(shown: entries.flatMap(\.lines)) { block in
            for entry in entries { block.put(entry) }
        }
    }

    /// Drops the entries of `jobs` (all of cadang's when nil).
    func remove(_ jobs: [String]?) throws -> SchedulePlan {
        let shown = ["(without the lines of " + (jobs.map { "job " + $0.joined(separator: ", ") } ?? "every job") + ")"]
        return try change(shown: shown) { $0.remove(jobs) }
    }

    private func change(shown: [String], _ change: @escaping @Sendable (inout CronBlock) -> Void) throws -> SchedulePlan {
        var plan = SchedulePlan()
        if target.user {
            plan.steps.append(.crontab(config: config, change: change, shown: shown))
            return plan
        }
        let file = target.cronFile
        try GeneratedFile.refuseForeign(file)
        var block = GeneratedFile.text(at: file).flatMap { CronBlock.parse($0).block } ?? CronBlock()
        change(&block)
        if block.entries.isEmpty {
            if FileSystem.exists(file) { plan.steps.append(.delete(file)) } else { plan.notes.append("no cadang cron file at \(file.path)") }
        } else {
            plan.steps.append(.write(file, block.crontab(others: [], config: config)))
        }
        return plan
    }
}
