import CadangCore

/// When a job runs by itself (the job key `schedule:`): at times of day on some weekdays, or at a
/// fixed cadence. It maps one-to-one onto systemd's `OnCalendar=` and onto cron (ops §1).
public enum Schedule: Sendable, Equatable {
    /// `{ at: ["12:30", "21:30"], days: [mon, …] }`; `days` empty means every day.
    case at([TimeOfDay], days: [Weekday])
    /// `{ every: 30s }`, in whole seconds (at least 1).
    case every(seconds: Int)

    /// One line for people: `at 12:30, 21:30 on mon..sat` or `every 30s`.
    public var summary: String {
        switch self {
        case .at(let times, let days):
            let when = times.map(\.text).joined(separator: ", ")
            let on = days.compactMap { Weekday.allCases.firstIndex(of: $0) }.ranged("..") { Weekday.allCases[$0].rawValue }
            return days.isEmpty ? "at \(when) every day" : "at \(when) on \(on)"
        case .every(let seconds):
            return "every \(DurationText.format(Double(seconds)))"
        }
    }

    /// How many times a day it starts the job at most (the `every` cadence rounded up).
    public var startsPerDay: Int {
        switch self {
        case .at(let times, _): times.count
        case .every(let seconds): (86_400 + seconds - 1) / seconds
        }
    }
}

/// A wall-clock time `HH:MM`.
public struct TimeOfDay: Sendable, Equatable, Comparable {
    /// 0–23.
    public var hour: Int
    /// 0–59.
    public var minute: Int

    /// `HH:MM` (one or two hour digits, two minute digits), or nil when it is not a time of day.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        (self.hour, self.minute) = (hour, minute)
    }

    /// `HH:MM`.
    public var text: String { Self.twoDigits(hour) + ":" + Self.twoDigits(minute) }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { (a.hour, a.minute) < (b.hour, b.minute) }
}

/// A day of the week as the config names it.
public enum Weekday: String, Sendable, CaseIterable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    /// cron's number: Sunday is 0.
    public var cronNumber: Int { self == .sun ? 0 : (Weekday.allCases.firstIndex(of: self) ?? 0) + 1 }

    /// systemd's name: `Mon`.
    public var systemdName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    public static func < (a: Weekday, b: Weekday) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

extension Array where Element == Int {
    /// The numbers in order with runs of three or more as ranges: `[1, 2, 3, 5]` → `1-3,5` with
    /// `mark` "-" (cron) or `Mon..Wed,Fri` with ".." and day names (systemd).
    func ranged(_ mark: String, _ name: (Int) -> String) -> String {
        var runs: [ClosedRange<Int>] = []
        for value in Set(self).sorted() {
            if let last = runs.last, last.upperBound + 1 == value {
                runs[runs.count - 1] = last.lowerBound...value
            } else {
                runs.append(value...value)
            }
        }
        return runs.map { run in
            switch run.count {
            case 1: name(run.lowerBound)
            case 2: name(run.lowerBound) + "," + name(run.upperBound)
            default: name(run.lowerBound) + mark + name(run.upperBound)
            }
        }.joined(separator: ",")
    }
}
