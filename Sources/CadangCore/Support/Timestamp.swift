import Foundation

/// RFC 3339 times as the manifest and `--time` use them: local offset, optional fractions.
public enum Timestamp {
    /// Formats `date` in the local time zone (`TZ`) with its UTC offset and microseconds when present.
    public static func rfc3339(_ date: Date, timeZone: TimeZone = .current) -> String {
        let parts = components(of: date, in: timeZone)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year, parts.month, parts.day,
                          parts.hour, parts.minute, parts.second)
        if parts.micros != 0 {
            var fraction = String(format: "%06d", parts.micros)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        let offset = timeZone.secondsFromGMT(for: date)
        if offset == 0 && ["UTC", "GMT", "Etc/UTC", "Z"].contains(timeZone.identifier) { return text + "Z" }
        let sign = offset < 0 ? "-" : "+"
        return text + String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    /// `YYYY-MM-DD HH:MM:SS` in the local time zone, as spreadsheets and the kasir app show times.
    public static func localDateTime(_ date: Date, timeZone: TimeZone = .current) -> String {
        let p = components(of: date, in: timeZone)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", p.year, p.month, p.day, p.hour, p.minute, p.second)
    }

    /// Parses RFC 3339 (`2026-01-31T23:00:00.25+07:00`, `…Z`); without an offset the time is local.
    /// Also accepts a space instead of `T`.
    public static func parse(_ text: String, timeZone: TimeZone = .current) -> Date? {
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for i in range {
                let c = scalars[i]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard scalars.count >= 19,
              let year = number(0..<4), scalars[4] == UInt8(ascii: "-"),
              let month = number(5..<7), scalars[7] == UInt8(ascii: "-"),
              let day = number(8..<10), scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: " ") || scalars[10] == UInt8(ascii: "t"),
              let hour = number(11..<13), scalars[13] == UInt8(ascii: ":"),
              let minute = number(14..<16), scalars[16] == UInt8(ascii: ":"),
              let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count && scalars[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 {
                fraction += Double(scalars[index] - 48) * scale
                scale /= 10
                index += 1
            }
            if index == start { return nil }
        }
        var offset: Int?
        if index < scalars.count {
            let c = scalars[index]
            if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                offset = 0
                index += 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                guard let hours = number(index + 1..<index + 3), index + 3 < scalars.count,
                      scalars[index + 3] == UInt8(ascii: ":"), let minutes = number(index + 4..<index + 6),
                      hours <= 23, minutes <= 59
                else { return nil }
                offset = (hours * 3600 + minutes * 60) * (c == UInt8(ascii: "-") ? -1 : 1)
                index += 6
            }
            guard index == scalars.count else { return nil }
        }
        var calendar = Calendar(identifier: .gregorian)
        if let offset {
            guard let zone = TimeZone(secondsFromGMT: offset) else { return nil }
            calendar.timeZone = zone
        } else {
            calendar.timeZone = timeZone
        }
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let whole = calendar.date(from: parts) else { return nil }
        let check = calendar.dateComponents([.year, .month, .day], from: whole)
        guard check.year == year, check.month == month, check.day == day else { return nil }
        return whole.addingTimeInterval(fraction)
    }

    struct Parts { var year, month, day, hour, minute, second, micros: Int }

    static func components(of date: Date, in timeZone: TimeZone) -> Parts {
        let seconds = date.timeIntervalSince1970
        var whole = seconds.rounded(.down)
        var micros = Int(((seconds - whole) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            whole += 1
            micros -= 1_000_000
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        return Parts(year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!, micros: micros)
    }
}
