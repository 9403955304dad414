import CadangCore
import Foundation

/// A time zone's UTC offsets over a span of UTC instants, as pieces of constant offset, and the
/// UTC ranges of the shop's days they give: what lets SQL put each order on its day in the
/// shop's time zone without either database's time zone support (PostgreSQL's depends on the
/// server's tz data, SQLite has none), so SQLite and PostgreSQL give the same days.
///
/// The offset is `initialOffset` from `first`, then each change's offset from its second
/// (inclusive) to the next one's, through `last`. UTC to local time is never ambiguous, so a day
/// is exact even in the hour a DST switch repeats.
struct UTCOffsetSegments: Equatable, Sendable {
    /// One change of the offset: from UTC `second` (since 1970) on, `offset` seconds east of UTC.
    struct Change: Equatable, Sendable {
        let second: Int
        let offset: Int
        /// The change's instant as store text.
        var start: String { OdooTimestamp.format(secondsSinceEpoch: second) }
    }

    /// The UTC instants `[low, high)` (store text) that are on `day` (`YYYY-MM-DD`) in the shop.
    struct DayRange: Equatable, Sendable {
        let day: String
        let low: String
        let high: String
    }

    /// A span of more days than this (about 110 years) surely comes from a wrong order date, and
    /// would make thousands of queries for nothing.
    static let maximumDays = 40_000

    /// The first and last second of the span (since 1970 UTC), both included.
    let first: Int
    let last: Int
    /// The offset at `first`, in seconds east of UTC.
    let initialOffset: Int
    /// The changes inside the span, oldest first; none has the offset of the one before it.
    let changes: [Change]

    /// The segments of `timeZone` from `low` through `high` (UTC store text, `YYYY-MM-DD HH:MM:SS`).
    init(timeZone: TimeZone, from low: String, through high: String) throws {
        guard let first = Self.seconds(low), let last = Self.seconds(high) else {
            throw CadangError(.failure, "the order store holds an order date that is not 'YYYY-MM-DD HH:MM:SS' (between '\(low)' and '\(high)')",
                              fix: "check the store's orders table for a malformed order_date")
        }
        try self.init(timeZone: timeZone, from: first, through: last)
    }

    /// The segments of `timeZone` from `first` through `last` (seconds since 1970 UTC).
    init(timeZone: TimeZone, from first: Int, through last: Int) throws {
        guard last >= first, (last - first) / 86_400 <= Self.maximumDays else {
            throw CadangError(.failure, "the order dates span \(OdooTimestamp.format(secondsSinceEpoch: first)) to "
                              + "\(OdooTimestamp.format(secondsSinceEpoch: last)), more than \(Self.maximumDays) days",
                              fix: "check the store's orders table for a wrong order_date")
        }
        self.first = first
        self.last = last
        var offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(first)))
        initialOffset = offset
        var changes: [Change] = []
        var instant = Date(timeIntervalSince1970: TimeInterval(first))
        // Foundation reports every change of the zone's rules here, not only DST (e.g. Jakarta
        // leaving +07:30 in 1964), each as the first instant of the new offset.
        while let next = timeZone.nextDaylightSavingTimeTransition(after: instant), next.timeIntervalSince1970 <= TimeInterval(last) {
            instant = next
            // Store times are whole seconds: a change within a second applies from the next one.
            let second = Int(next.timeIntervalSince1970.rounded(.up))
            let newOffset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(second)))
            // A change of name or DST flag alone keeps the offset, and so every order's day.
            guard newOffset != offset else { continue }
            offset = newOffset
            changes.append(Change(second: second, offset: newOffset))
        }
        self.changes = changes
    }

    /// Every offset used, oldest first.
    var offsets: [Int] { [initialOffset] + changes.map(\.offset) }

    /// The UTC ranges of the shop's days over the span, oldest first: for each segment, each
    /// local day it touches, clipped to the segment. An order is on `day` when its UTC time is in
    /// `[low, high)` of one of that day's ranges, which is the same as shifting its time by its
    /// segment's offset and taking the date. A day has several ranges when a change falls in it
    /// (and, where a switch goes back across midnight, ranges on both sides of the other day's).
    func dayRanges() -> [DayRange] {
        let bounds = [first] + changes.map(\.second) + [last + 1]
        var ranges: [DayRange] = []
        for (index, offset) in offsets.enumerated() {
            let start = bounds[index], end = bounds[index + 1]
            var day = Self.floorDivide(start + offset, 86_400)
            while true {
                let low = max(start, day * 86_400 - offset), high = min(end, (day + 1) * 86_400 - offset)
                guard low < high else { break }
                ranges.append(DayRange(day: String(OdooTimestamp.format(secondsSinceEpoch: day * 86_400).prefix(10)),
                                       low: OdooTimestamp.format(secondsSinceEpoch: low),
                                       high: OdooTimestamp.format(secondsSinceEpoch: high)))
                day += 1
            }
        }
        return ranges
    }

    /// `value / divisor` rounded toward minus infinity (a day before 1970 is negative).
    private static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return value % divisor != 0 && value < 0 ? quotient - 1 : quotient
    }

    /// Seconds since 1970 UTC of store text `YYYY-MM-DD HH:MM:SS`; nil for anything else.
    static func seconds(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":") else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in bytes[start..<start + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), (1...12).contains(month), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        return CivilCalendar.epochDay(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    }
}
