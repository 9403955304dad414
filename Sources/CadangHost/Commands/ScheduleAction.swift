import CadangCore
import Foundation

/// `cadang schedule show|install|remove|status`: the config's `schedule:` keys as systemd timers
/// or cron lines (ops §1).
public struct ScheduleAction {
    /// What `show` prints.
    public enum Format: String, Sendable, CaseIterable {
        case systemd, cron
    }

    /// Where schedules go.
    public var target: ScheduleTarget

    /// Creates the action.
    public init(target: ScheduleTarget) {
        self.target = target
    }

    /// Prints the files `install` would write for `job`, changing nothing.
    public func show(job: String, format: Format, in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        guard let run = try ScheduledJobs(config: config).runs([job]).first else { return .usage }
        switch format {
        case .systemd:
            let units = SystemdUnits(run: run, user: target.user)
            print("# \(target.unitFolder.appendingPathComponent(units.serviceName).path)\n\(units.service)")
            print("# \(target.unitFolder.appendingPathComponent(units.timerName).path)\n\(units.timer)", terminator: "")
        case .cron:
            var block = CronBlock()
            block.put(try CronBlock.entry(run, user: target.user ? nil : "root"))
            print(block.crontab(others: [], config: config.file.path), terminator: "")
        }
        return .success
    }

    /// Installs the schedules of `jobs` (every scheduled job when empty).
    public func install(jobs: [String], dryRun: Bool, in session: Session) throws -> ExitStatus {
        try target.validate()
        let config = try session.loadConfig()
        let runs = try ScheduledJobs(config: config).runs(jobs)
        let plan = try target.cron ? CronInstaller(target: target, config: config.file.path).install(runs)
            : SystemdInstaller(target: target).install(runs)
        try apply(plan, dryRun: dryRun, in: session)
        if !dryRun {
            for run in runs { session.say("scheduled job '\(run.job)': \(run.schedule.summary)") }
        }
        return .success
    }

    /// Removes the installed schedules of `jobs` (every one cadang installed when empty); needs
    /// no config, so a schedule outlives a deleted config file.
    public func remove(jobs: [String], dryRun: Bool, in session: Session) throws -> ExitStatus {
        try target.validate()
        let named = jobs.isEmpty ? nil : jobs
        let plan = try target.cron ? CronInstaller(target: target, config: session.configPath).remove(named)
            : SystemdInstaller(target: target).remove(named)
        try apply(plan, dryRun: dryRun, in: session)
        return .success
    }

    /// Prints each scheduled job's state (`--json`: an array of `ScheduleStatus`).
    public func status(json: Bool, in session: Session) throws -> ExitStatus {
        let config = try session.loadConfig()
        let jobs = config.jobs.compactMap { job in job.schedule.map { (name: job.name, schedule: $0) } }
        let statuses = ScheduleStatusReader(target: target).read(jobs)
        if json {
            try JSONOutput.print(statuses)
            return .success
        }
        if statuses.isEmpty {
            session.say("no job in \(config.file.path) has a schedule")
            return .success
        }
        var rows = [["JOB", "SCHEDULE", "INSTALLED", "TIMER", "NEXT", "LAST", "RESULT"]]
        for status in statuses {
            let installed = [status.installed ? "systemd" : nil, status.cron ? "cron" : nil].compactMap { $0 }
            let result = status.lastResult.map { result in status.lastExitStatus.map { "\(result) (\($0))" } ?? result }
            rows.append([status.job, status.schedule, installed.isEmpty ? "no" : installed.joined(separator: ", "),
                         status.timerState ?? "-", status.nextRun ?? "-", status.lastRun ?? "-", result ?? "-"])
        }
        session.say(TextTable.render(rows))
        for problem in Set(statuses.compactMap(\.systemdError)).sorted() {
            session.say("systemd could not be asked: \(problem); the table shows what is installed in \(target.unitFolder.path)")
        }
        return .success
    }

    private func apply(_ plan: SchedulePlan, dryRun: Bool, in session: Session) throws {
        // Warnings first: they matter even when a step then fails.
        let warnings = plan.notes.filter { $0.hasPrefix("warning: ") }
        for warning in warnings { session.logger.warning("\(warning.dropFirst("warning: ".count))") }
        try plan.apply(dryRun: dryRun) { session.say($0) }
        for note in plan.notes where !warnings.contains(note) { session.say(note) }
    }
}
