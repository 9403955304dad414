import CadangCore
import Foundation

/// What `cadang schedule status` knows about one scheduled job: what is installed, and what
/// systemd says about its timer and last run.
public struct ScheduleStatus: Encodable, Sendable {
    /// The job.
    public var job: String
    /// The schedule, for people (`at 23:00 every day`).
    public var schedule: String
    /// Both units are present and carry the marker.
    public var installed: Bool
    /// The unit files found with the marker.
    public var units: [String]
    /// The job has lines in cadang's cron file or crontab block.
    public var cron: Bool
    /// The timer's `ActiveState` (active, inactive, failed…).
    public var timerState: String?
    /// When the timer next starts the job (RFC 3339), if systemd says.
    public var nextRun: String?
    /// When the timer last started it.
    public var lastRun: String?
    /// The service's last `Result` (success, exit-code, timeout…).
    public var lastResult: String?
    /// The last run's exit status.
    public var lastExitStatus: Int?
    /// Why systemd could not be asked (it is not running), if so.
    public var systemdError: String?

    private enum CodingKeys: String, CodingKey {
        case job, schedule, installed, units, cron
        case timerState = "timer_state", nextRun = "next_run", lastRun = "last_run", lastResult = "last_result"
        case lastExitStatus = "last_exit_status", systemdError = "systemd_error"
    }

    /// Every key, with null for what is not known, so the shape never changes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(job, forKey: .job)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(installed, forKey: .installed)
        try container.encode(units, forKey: .units)
        try container.encode(cron, forKey: .cron)
        try container.encode(timerState, forKey: .timerState)
        try container.encode(nextRun, forKey: .nextRun)
        try container.encode(lastRun, forKey: .lastRun)
        try container.encode(lastResult, forKey: .lastResult)
        try container.encode(lastExitStatus, forKey: .lastExitStatus)
        try container.encode(systemdError, forKey: .systemdError)
    }
}

/// Reads the status of scheduled jobs from the unit folder, the cron file and `systemctl show`.
struct ScheduleStatusReader {
    var target: ScheduleTarget

    /// The status of each of `jobs`; systemd is asked only about installed units, and once it
    /// fails (not running) it is not asked again.
    func read(_ jobs: [(name: String, schedule: Schedule)]) -> [ScheduleStatus] {
        let systemctl = ExternalCommand.find("systemctl")
        let cronJobs = self.cronJobs()
        var down: String?
        return jobs.map { job in
            let units = ["cadang-\(job.name).service", "cadang-\(job.name).timer"].map(target.unitFolder.appendingPathComponent)
                .filter(GeneratedFile.isOurs)
            var status = ScheduleStatus(job: job.name, schedule: job.schedule.summary, installed: units.count == 2,
                                        units: units.map(\.path), cron: cronJobs.contains(job.name))
            guard !units.isEmpty else { return status }
            guard let systemctl else {
                status.systemdError = "systemctl is not on PATH"
                return status
            }
            if down == nil {
                do {
                    let timer = try show(systemctl, "cadang-\(job.name).timer", ["ActiveState", "NextElapseUSecRealtime", "LastTriggerUSec"])
                    let service = try show(systemctl, "cadang-\(job.name).service", ["Result", "ExecMainStatus"])
                    status.timerState = timer["ActiveState"]
                    status.nextRun = timer["NextElapseUSecRealtime"].flatMap(Self.time)
                    status.lastRun = timer["LastTriggerUSec"].flatMap(Self.time)
                    status.lastResult = service["Result"].flatMap { $0.isEmpty ? nil : $0 }
                    // Before a first run systemd reports ExecMainStatus=0 with no start time; the result says "success" then too.
                    status.lastExitStatus = status.lastRun == nil ? nil : service["ExecMainStatus"].flatMap { Int($0) }
                } catch {
                    down = (error as? CadangError)?.message ?? "\(error)"
                }
            }
            status.systemdError = down
            return status
        }
    }

    /// `systemctl show UNIT -p A,B --timestamp=unix` as a dictionary.
    private func show(_ systemctl: ExternalCommand, _ unit: String, _ properties: [String]) throws -> [String: String] {
        let flags = target.user ? ["--user"] : []
        let output = try systemctl.run(flags + ["show", unit, "-p", properties.joined(separator: ","), "--timestamp=unix"])
        guard output.status == 0 else {
            let reason = SchedulePlan.systemdDown(output.stderr) ? "systemd is not running here (\(output.reason))" : "systemctl show \(unit) failed: \(output.reason)"
            throw CadangError(.failure, reason)
        }
        var values: [String: String] = [:]
        for line in output.stdout.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    /// A systemd timestamp as RFC 3339: `@1764802800` (--timestamp=unix), or its text as it came;
    /// nil for none (empty, `n/a`, 0).
    static func time(_ value: String) -> String? {
        let value = value.trimmingCharacters(in: .whitespaces)
        if value.isEmpty || value == "n/a" || value == "0" || value == "@0" { return nil }
        if value.hasPrefix("@"), let seconds = Double(value.dropFirst()) {
            return Timestamp.rfc3339(Date(timeIntervalSince1970: seconds))
        }
        return value
    }

    /// The jobs with lines in cadang's cron file (system) or crontab block (`--user`).
    private func cronJobs() -> Set<String> {
        var text: String?
        if target.user {
            if let crontab = ExternalCommand.find("crontab"), let output = try? crontab.run(["-l"]), output.status == 0 { text = output.stdout }
        } else {
            text = GeneratedFile.text(at: target.cronFile)
        }
        return Set(text.flatMap { CronBlock.parse($0).block }?.entries.map(\.job) ?? [])
    }
}
