import CadangCore
import Foundation

/// The config's scheduled jobs as runs of this binary.
struct ScheduledJobs {
    var config: Config

    /// The runs of `names` (every job with a schedule when empty); a named job that is unknown
    /// or has no `schedule:` is a usage error (exit 2).
    func runs(_ names: [String]) throws -> [ScheduledRun] {
        let scheduled = config.jobs.filter { $0.schedule != nil }
        let chosen = try names.isEmpty ? scheduled : names.map { name in
            guard let job = config.job(named: name) else {
                throw CadangError(.usage, "unknown job '\(name)' in \(config.file.path)",
                                  fix: "jobs: \(config.jobs.map(\.name).joined(separator: ", "))")
            }
            guard job.schedule != nil else {
                throw CadangError(.usage, "job '\(name)' has no schedule in \(config.file.path)",
                                  fix: "add e.g. 'schedule: { at: [\"23:00\"] }' to the job, then check it with cadang config check")
            }
            return job
        }
        guard !chosen.isEmpty else {
            throw CadangError(.usage, "no job in \(config.file.path) has a schedule",
                              fix: "add e.g. 'schedule: { at: [\"23:00\"] }' to a job (Docs/user-guide.md, Scheduling)")
        }
        let zone = MachineTimeZone.name(), executable = ScheduledRun.currentExecutable
        return chosen.compactMap { job in
            job.schedule.map { ScheduledRun(job: job.name, schedule: $0, executable: executable, config: config.file.path, zone: zone) }
        }
    }
}
