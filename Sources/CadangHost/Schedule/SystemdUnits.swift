/// The `cadang-<job>.service` and `.timer` of a scheduled run (what borgmatic's samples and
/// systemd's manuals teach, ops §1).
struct SystemdUnits {
    /// What the units run.
    var run: ScheduledRun
    /// `--user` units: the user manager has no `network-online.target`.
    var user: Bool

    /// `cadang-<job>.service`.
    var serviceName: String { run.unitName + ".service" }
    /// `cadang-<job>.timer`.
    var timerName: String { run.unitName + ".timer" }

    /// Whether failed runs are retried by systemd: times of day, and cadences of 12 h or more. A
    /// shorter cadence has its next tick as the retry, and systemd's start limit would count
    /// those ticks and stop the unit.
    private var retries: Bool {
        switch run.schedule {
        case .at: true
        case .every(let seconds): seconds >= 12 * 3600
        }
    }

    /// A frequent cadence (under an hour): exact ticks matter more than spreading machines out.
    private var frequent: Bool { if case .every(let seconds) = run.schedule { seconds < 3600 } else { false } }

    /// The service file.
    var service: String {
        var unit = ["Description=cadang job \(run.job) (\(run.schedule.summary))", "Documentation=man:systemd.timer(5)"]
        unit.append(user ? "After=local-fs.target" : "After=local-fs.target network-online.target")
        if !user { unit.append("Wants=network-online.target") }
        var service = ["Type=oneshot", "UMask=0077"]
        if let zone = run.zone { service.append("Environment=TZ=\(zone)") }
        service.append("ExecStart=" + run.arguments.map(Self.quoted).joined(separator: " "))
        if retries {
            // Exit 11 (another run holds the repository) and 75 (the drive is not there) are worth
            // another try; 1-4 (failure, config, partial, damage) would fail the same way again.
            // Eight starts in 12 h leave room for the day's scheduled ones plus half-hourly retries.
            unit += ["StartLimitIntervalSec=12h", "StartLimitBurst=\(max(8, 6 + run.schedule.startsPerDay))"]
            service += ["Restart=on-failure", "RestartSec=30min", "RestartPreventExitStatus=1 2 3 4"]
        } else {
            // No restarts: the next tick retries. No start limit either: systemd's default (5 starts
            // in 10 s) would refuse a cadence of a few seconds.
            unit.append("StartLimitIntervalSec=0")
        }
        service += ["Nice=10", "IOSchedulingClass=idle", "TimeoutStartSec=4h", "SyslogIdentifier=\(run.unitName)"]
        return Self.file(header: "Runs `cadang run \(run.job)` when \(timerName) says.", sections: [("Unit", unit), ("Service", service)])
    }

    /// The timer file.
    var timer: String {
        var timer: [String] = []
        switch SystemdTrigger(run.schedule, zone: run.zone) {
        case .calendar(let values):
            timer += values.map { "OnCalendar=\($0)" }
            // A run missed while the computer was off (or asleep) starts as soon as it is back.
            timer.append("Persistent=true")
        case .monotonic(let seconds):
            // Slots on the clock cannot keep this cadence, so it counts from boot and from the last
            // start (Persistent= applies only to OnCalendar=; the first tick after boot catches up).
            timer += ["OnBootSec=\(seconds)s", "OnUnitActiveSec=\(seconds)s"]
        }
        if frequent {
            // systemd's default AccuracySec=1min would merge a 30 s cadence into one run a minute.
            timer.append("AccuracySec=1s")
        } else {
            // Spreads the start a little so many machines do not hit a shared remote at once.
            timer.append("RandomizedDelaySec=5min")
        }
        return Self.file(header: "Starts \(serviceName) \(run.schedule.summary).",
                         sections: [("Unit", ["Description=cadang job \(run.job): \(run.schedule.summary)"]), ("Timer", timer),
                                    ("Install", ["WantedBy=timers.target"])])
    }

    private static func file(header: String, sections: [(String, [String])]) -> String {
        var lines = [ScheduledRun.marker, "# \(header)",
                     "# `cadang schedule install` writes it again from the config; `cadang schedule remove` deletes it."]
        for (name, entries) in sections { lines += ["", "[\(name)]"] + entries }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One `ExecStart=` word: `%` and `$` escaped (systemd expands them), quoted when it has spaces.
    static func quoted(_ word: String) -> String {
        var text = ""
        for character in word {
            switch character {
            case "%": text += "%%"
            case "$": text += "$$"
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            default: text.append(character)
            }
        }
        let plain = !word.isEmpty && !word.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == ";" })
        return plain ? text : "\"\(text)\""
    }
}
