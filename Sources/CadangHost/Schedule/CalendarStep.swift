/// An `every` cadence that wall-clock slots keep exactly: a step that divides the minute, the hour
/// or the day evenly (30s, 5m, 6h), a whole day or a whole week. Both systemd's `OnCalendar=` and
/// cron can say these; a 7m or 5h cadence restarts at every hour or day boundary, so it is not one.
enum CalendarStep: Equatable {
    /// Every N seconds, N dividing 60.
    case seconds(Int)
    /// Every N minutes, N dividing 60.
    case minutes(Int)
    /// Every N hours, N dividing 24.
    case hours(Int)
    /// At midnight.
    case daily
    /// Mondays at midnight.
    case weekly

    /// The step for `seconds`, or nil when slots cannot keep that cadence.
    init?(seconds: Int) {
        func divides(_ whole: Int, _ part: Int) -> Bool { part >= 1 && part < whole && whole % part == 0 }
        if divides(60, seconds) {
            self = .seconds(seconds)
        } else if seconds % 60 == 0, divides(60, seconds / 60) {
            self = .minutes(seconds / 60)
        } else if seconds % 3600 == 0, divides(24, seconds / 3600) {
            self = .hours(seconds / 3600)
        } else if seconds == 86_400 {
            self = .daily
        } else if seconds == 7 * 86_400 {
            self = .weekly
        } else {
            return nil
        }
    }
}
