import CadangCore
/// Times as the store keeps them: UTC `YYYY-MM-DD HH:MM:SS`.
enum OdooTimestamp {
    /// Odoo's naive UTC text (`2026-01-11 02:37:05`) as it is; ISO 8601 (`2026-01-11T09:37:05.412+07:00`,
    /// `…Z`, no zone meaning UTC) converted to UTC; fractions of a second dropped. Nil for anything
    /// else.
    static func utc(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        var reader = DigitReader(text)
        guard let year = reader.number(4), reader.take(UInt8(ascii: "-")), let month = reader.number(2),
              reader.take(UInt8(ascii: "-")), let day = reader.number(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        if !reader.atEnd {
            guard reader.take(UInt8(ascii: " ")) || reader.take(UInt8(ascii: "T")) || reader.take(UInt8(ascii: "t")),
                  let h = reader.number(2), reader.take(UInt8(ascii: ":")), let m = reader.number(2) else { return nil }
            hour = h
            minute = m
            if reader.take(UInt8(ascii: ":")) {
                guard let s = reader.number(2) else { return nil }
                second = s
            }
            if reader.take(UInt8(ascii: ".")) || reader.take(UInt8(ascii: ",")) {
                guard reader.skipDigits() > 0 else { return nil }
            }
        }
        var offsetMinutes = 0
        if !reader.atEnd {
            if reader.take(UInt8(ascii: "Z")) || reader.take(UInt8(ascii: "z")) {
            } else {
                let sign: Int
                if reader.take(UInt8(ascii: "+")) { sign = 1 } else if reader.take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
                guard let offsetHours = reader.number(2) else { return nil }
                _ = reader.take(UInt8(ascii: ":"))
                let minutes = reader.atEnd ? 0 : reader.number(2)
                guard let minutes, offsetHours <= 23, minutes <= 59 else { return nil }
                offsetMinutes = sign * (offsetHours * 60 + minutes)
            }
            guard reader.atEnd else { return nil }
        }
        guard (1...12).contains(month), (1...31).contains(day), hour <= 23, minute <= 59, second <= 60 else { return nil }
        // A leap second is kept inside its minute.
        let seconds = CivilCalendar.epochDay(year: year, month: month, day: day) * 86_400
            + hour * 3_600 + minute * 60 + min(second, 59) - offsetMinutes * 60
        return format(secondsSinceEpoch: seconds)
    }

    /// `YYYY-MM-DD HH:MM:SS` of a count of seconds since 1970-01-01 00:00:00 UTC.
    static func format(secondsSinceEpoch seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(fromEpochDay: days)
        var out: [UInt8] = []
        out.reserveCapacity(19)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = max(value, 0)
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4); out.append(UInt8(ascii: "-")); digits(month, 2); out.append(UInt8(ascii: "-")); digits(day, 2)
        out.append(UInt8(ascii: " "))
        digits(inDay / 3_600, 2); out.append(UInt8(ascii: ":")); digits(inDay / 60 % 60, 2); out.append(UInt8(ascii: ":"))
        digits(inDay % 60, 2)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Reads fixed-width numbers and separators from the front of some text.
private struct DigitReader {
    let text: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ text: UnsafeBufferPointer<UInt8>) { self.text = text }

    var atEnd: Bool { index >= text.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < text.count, text[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func number(_ width: Int) -> Int? {
        guard text.count - index >= width else { return nil }
        var value = 0
        for offset in 0..<width {
            let digit = text[index + offset] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        index += width
        return value
    }

    mutating func skipDigits() -> Int {
        let start = index
        while index < text.count, text[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        return index - start
    }
}
