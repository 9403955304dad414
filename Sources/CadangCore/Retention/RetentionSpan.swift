import Foundation

/// A `keep_within` span such as `1y2m3d4h`: years, months, days and hours back from the newest set,
/// restic's retention duration.
///
/// Not a `DurationText`: here **`m` means months** (there it means minutes), there are no minutes,
/// seconds or weeks (`1w` is refused as restic refuses it; write `7d`), and years, months and days
/// are calendar steps in the retention time zone, so `1d` across a DST change is 23 or 25 hours and
/// `1m` back from 31 March lands on 3 March (2 in leap years), as Go's `AddDate` does. Hours are
/// exact 3,600-second steps taken after the calendar steps.
public struct RetentionSpan: Sendable, Hashable, CustomStringConvertible {
    /// Calendar years.
    public var years: Int
    /// Calendar months.
    public var months: Int
    /// Calendar days.
    public var days: Int
    /// Hours of 3,600 seconds.
    public var hours: Int

    /// The largest number one unit accepts; far beyond any retention, and keeps the arithmetic exact.
    public static let maximumUnit = 1_000_000

    /// Creates a span; the zero span means "no rule".
    public init(years: Int = 0, months: Int = 0, days: Int = 0, hours: Int = 0) {
        self.years = years
        self.months = months
        self.days = days
        self.hours = hours
    }

    /// Parses `1y2m3d4h`: each of `y`, `m` (months), `d`, `h` at most once, in any order.
    public static func parse(_ text: String) throws -> RetentionSpan {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func refuse(_ why: String) -> CadangError {
            CadangError(.usage, "\(text.debugDescription) is not a retention span: \(why)",
                        fix: "write years, months, days and hours like 1y2m3d4h, where m means months")
        }
        guard !trimmed.isEmpty else { throw refuse("it is empty") }
        var span = RetentionSpan()
        var seen: Set<Character> = []
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let digits = rest.prefix { $0 >= "0" && $0 <= "9" }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first else { throw refuse("the number \(digits) has no unit") }
            rest = rest.dropFirst()
            guard !digits.isEmpty else {
                throw refuse(unit == "-" ? "spans cannot be negative" : "\"\(unit)\" has no number before it")
            }
            guard let value = Int(digits), value <= maximumUnit else {
                throw refuse("\(digits) is more than \(maximumUnit)")
            }
            guard !seen.contains(unit) else { throw refuse("\"\(unit)\" appears twice") }
            seen.insert(unit)
            switch unit {
            case "y": span.years = value
            case "m": span.months = value
            case "d": span.days = value
            case "h": span.hours = value
            case "w": throw refuse("weeks are not a unit; write \(value * 7)d")
            default: throw refuse("\"\(unit)\" is not a unit (y, m, d, h)")
            }
        }
        return span
    }

    /// Whether the span is zero, i.e. the rule is off.
    public var isZero: Bool { years == 0 && months == 0 && days == 0 && hours == 0 }

    /// restic's spelling, units in the order y m d h, zero units left out (`1y1d1m` reads `1y1m1d`),
    /// as it appears in keep reasons (`within 1y1m1d`); the zero span reads `0h`.
    public var description: String {
        var text = ""
        if years != 0 { text += "\(years)y" }
        if months != 0 { text += "\(months)m" }
        if days != 0 { text += "\(days)d" }
        if hours != 0 { text += "\(hours)h" }
        return text.isEmpty ? "0h" : text
    }

    /// The moment `reference` minus this span: the calendar steps on `reference`'s wall clock in
    /// `timeZone` with Go's normalisation (restic's `AddDate(-y, -m, -d)`), then the hours.
    public func start(from reference: Date, in timeZone: TimeZone) -> Date {
        func bounded(_ value: Int) -> Int { Swift.min(Swift.max(value, -Self.maximumUnit), Self.maximumUnit) }
        var clock = CivilTime(reference, in: timeZone)
        clock.year -= bounded(years)
        clock.month -= bounded(months)
        clock.day -= bounded(days)
        return clock.date(in: timeZone).addingTimeInterval(-3_600 * Double(bounded(hours)))
    }
}
