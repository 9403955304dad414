/// A schedule as systemd timer triggers (systemd.time(7), systemd.timer(5)).
enum SystemdTrigger: Equatable {
    /// `OnCalendar=` values, one per time of day.
    case calendar([String])
    /// `OnBootSec=` + `OnUnitActiveSec=`, in seconds: a cadence wall-clock slots cannot keep.
    case monotonic(seconds: Int)

    /// The triggers of `schedule`; `zone` (a tz database name) pins calendar times to that zone,
    /// so the timer and the job's `TZ` agree even when systemd's own zone differs.
    init(_ schedule: Schedule, zone: String?) {
        let suffix = zone.map { " " + $0 } ?? ""
        switch schedule {
        case .at(let times, let days):
            let prefix = days.isEmpty ? "" : Self.weekdays(days) + " "
            self = .calendar(times.map { "\(prefix)*-*-* \($0.text):00\(suffix)" })
        case .every(let seconds):
            guard let step = CalendarStep(seconds: seconds) else {
                self = .monotonic(seconds: seconds)
                return
            }
            let value = switch step {
            case .seconds(let n): "*-*-* *:*:00/\(n)"
            case .minutes(let n): "*-*-* *:00/\(n):00"
            case .hours(let n): "*-*-* 00/\(n):00:00"
            case .daily: "*-*-* 00:00:00"
            case .weekly: "Mon *-*-* 00:00:00"
            }
            self = .calendar([value + suffix])
        }
    }

    /// `Mon..Sat`, `Mon,Wed,Fri`.
    static func weekdays(_ days: [Weekday]) -> String {
        days.compactMap { Weekday.allCases.firstIndex(of: $0) }.ranged("..") { Weekday.allCases[$0].systemdName }
    }
}
