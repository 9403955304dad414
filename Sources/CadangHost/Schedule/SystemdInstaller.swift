import CadangCore
import Foundation

/// The plans that put `cadang-<job>.service` + `.timer` in place and switch them on, or off and away.
///
/// Live (no `--root`): `systemctl daemon-reload`, then `enable --now` the timers (`--user` for the
/// user's manager). With `--root DIR` nothing may start: `systemctl --root=DIR enable` only makes
/// the `timers.target.wants` links, the way image builders do, and there is no daemon to reload.
struct SystemdInstaller {
    var target: ScheduleTarget

    private static let fix = "install systemd, or use --cron"

    /// Writes the units of `runs` and enables their timers; refuses (exit 1) a file at one of those
    /// paths that cadang did not generate, before changing anything.
    func install(_ runs: [ScheduledRun]) throws -> SchedulePlan {
        var plan = SchedulePlan()
        let units = runs.map { SystemdUnits(run: $0, user: target.user) }
        for unit in units {
            for (name, text) in [(unit.serviceName, unit.service), (unit.timerName, unit.timer)] {
                let url = target.unitFolder.appendingPathComponent(name)
                try GeneratedFile.refuseForeign(url)
                plan.steps.append(.write(url, text))
            }
        }
        let timers = units.map(\.timerName)
        if target.live {
            plan.steps.append(systemctl(["daemon-reload"]))
            plan.steps.append(systemctl(["enable", "--now"] + timers))
        } else if target.user {
            // systemctl --user --root cannot link user units; the user does it once logged in there.
            plan.notes.append("not enabled (--user with --root): in that system, run systemctl --user daemon-reload && systemctl --user enable --now \(timers.joined(separator: " "))")
        } else {
            plan.steps.append(systemctl(["enable"] + timers))
        }
        if target.user { plan.notes += lingering() }
        return plan
    }

    /// Disables and deletes the marked units of `jobs` (every marked `cadang-*` unit when nil);
    /// unmarked files are never touched, and a named job's unmarked unit is refused (exit 1).
    func remove(_ jobs: [String]?) throws -> SchedulePlan {
        var plan = SchedulePlan()
        let names = jobs ?? installedJobs()
        var timers: [String] = [], files: [URL] = []
        for job in names {
            let unit = "cadang-\(job)"
            for url in [unit + ".timer", unit + ".service"].map(target.unitFolder.appendingPathComponent) {
                try GeneratedFile.refuseForeign(url)
                guard GeneratedFile.isOurs(url) else { continue }
                files.append(url)
                if url.pathExtension == "timer" { timers.append(url.lastPathComponent) }
            }
        }
        guard !files.isEmpty else {
            plan.notes.append("no cadang units in \(target.unitFolder.path)" + (jobs.map { " for \($0.joined(separator: ", "))" } ?? ""))
            return plan
        }
        if !timers.isEmpty { plan.steps.append(systemctl(target.live ? ["disable", "--now"] + timers : ["disable"] + timers)) }
        plan.steps += files.map { .delete($0) }
        if target.live { plan.steps.append(systemctl(["daemon-reload"])) }
        return plan
    }

    /// The jobs with a marked `cadang-<job>.timer` or `.service` in the unit folder.
    func installedJobs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: target.unitFolder.path)) ?? []
        let jobs = names.filter { $0.hasPrefix("cadang-") && ($0.hasSuffix(".timer") || $0.hasSuffix(".service")) }
            .filter { GeneratedFile.isOurs(target.unitFolder.appendingPathComponent($0)) }
            .map { String(($0 as NSString).deletingPathExtension.dropFirst("cadang-".count)) }
        return Array(Set(jobs)).sorted()
    }

    private func systemctl(_ arguments: [String]) -> SchedulePlan.Step {
        .call("systemctl", target.systemctlFlags + arguments, fix: Self.fix)
    }

    /// A user's timers run only while they are logged in, unless lingering is on.
    private func lingering() -> [String] {
        let name = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        if FileSystem.exists(target.inRoot("/var/lib/systemd/linger/\(name)")) { return [] }
        return ["warning: user timers run only while \(name) is logged in; turn lingering on so they run after logout and at boot: loginctl enable-linger \(name)"]
    }
}
