import CadangCore

/// A schedule as cron time fields (`30 21 * * 1-6`), one line per distinct minute.
enum CronSchedule {
    /// The five time fields of each line for `schedule`; throws (exit 2) for what cron cannot say:
    /// anything more often than once a minute, and cadences its fields cannot keep.
    static func fields(_ schedule: Schedule, job: String) throws -> [String] {
        switch schedule {
        case .at(let times, let days):
            let dayField = days.isEmpty ? "*" : numbers(days.map(\.cronNumber))
            let minutes = Array(Set(times.map(\.minute))).sorted()
            return minutes.map { minute in
                let hours = times.filter { $0.minute == minute }.map(\.hour).sorted()
                return "\(minute) \(hours.map(String.init).joined(separator: ",")) * * \(dayField)"
            }
        case .every(let seconds):
            let step = CalendarStep(seconds: seconds)
            switch step {
            case .minutes(let n): return [n == 1 ? "* * * * *" : "*/\(n) * * * *"]
            case .hours(let n): return [n == 1 ? "0 * * * *" : "0 */\(n) * * *"]
            case .daily: return ["0 0 * * *"]
            case .weekly: return ["0 0 * * 1"]
            case .seconds, nil:
                let every = DurationText.format(Double(seconds))
                if seconds < 60 || step != nil {
                    throw CadangError(.usage, "job '\(job)' runs every \(every), and cron cannot run anything more often than once a minute",
                                      fix: "install it as a systemd timer (cadang schedule install without --cron), or let the duties of 'cadang serve' run it (Docs/serve.md)")
                }
                throw CadangError(.usage, "cron cannot keep a cadence of every \(every) for job '\(job)': its fields restart at every hour and day",
                                  fix: "choose a step that divides an hour or a day (5m, 15m, 2h, 6h, 1d), or install a systemd timer (without --cron)")
            }
        }
    }

    /// `1-6`, `1,3,5`.
    static func numbers(_ values: [Int]) -> String {
        values.ranged("-") { String($0) }
    }
}
