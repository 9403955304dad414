import Foundation

/// A moment's wall-clock fields in one time zone, and the reverse, computed by hand so retention
/// follows Go's `time` package exactly as restic's `forget` does: the proleptic Gregorian calendar
/// (Foundation's `.gregorian` switches to Julian before 1582), ISO weeks, and `time.Date`'s
/// normalisation (day 31 of February is 2 or 3 March, where `Calendar` would clamp to the 28th).
/// One `secondsFromGMT` lookup per set also keeps 10,000 sets far from any formatter's cost.
struct CivilTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    /// The part of a second below `second`, kept so calendar steps move the exact instant.
    var fraction: Double
    /// Days from 1970-01-01 to the wall-clock date.
    var epochDay: Int

    /// The fields of `date` as a clock in `zone` shows them.
    init(_ date: Date, in zone: TimeZone) {
        var seconds = date.timeIntervalSince1970
        // Far beyond any backup, but keeps `Int(_:)` from trapping on infinities or NaN.
        if !seconds.isFinite || abs(seconds) > 1e14 { seconds = seconds > 0 ? 1e14 : -1e14 }
        let whole = seconds.rounded(.down)
        fraction = seconds - whole
        let local = Int(whole) + zone.secondsFromGMT(for: Date(timeIntervalSince1970: whole))
        epochDay = local.floorDivided(by: 86_400)
        let ofDay = local - epochDay * 86_400
        hour = ofDay / 3_600
        minute = ofDay % 3_600 / 60
        second = ofDay % 60
        (year, month, day) = CivilCalendar.date(fromEpochDay: epochDay)
    }

    /// `YYYYMMDDHH`, restic's hourly bucket.
    var hourKey: Int { dayKey * 100 + hour }
    /// `YYYYMMDD`, restic's daily bucket.
    var dayKey: Int { year * 10_000 + month * 100 + day }
    /// `YYYYWW` of the ISO week (weeks start on Monday; week 1 holds the year's first Thursday).
    var weekKey: Int {
        let weekday = (epochDay + 3).modulo(7)  // 1970-01-01 was a Thursday; Monday is 0
        let thursday = epochDay - weekday + 3
        let isoYear = CivilCalendar.date(fromEpochDay: thursday).year
        let week = (thursday - CivilCalendar.epochDay(year: isoYear, month: 1, day: 1)) / 7 + 1
        return isoYear * 100 + week
    }
    /// `YYYYMM`, restic's monthly bucket.
    var monthKey: Int { year * 100 + month }

    /// The moment a clock in `zone` shows these fields after Go's `time.Date` normalisation:
    /// months and days out of range roll over, a time in a spring-forward gap reads with the offset
    /// before the change (02:30 becomes 03:30), and a repeated time takes the later instant.
    func date(in zone: TimeZone) -> Date {
        let monthIndex = month - 1
        let days = CivilCalendar.epochDay(year: year + monthIndex.floorDivided(by: 12),
                                      month: monthIndex.modulo(12) + 1, day: 1) + day - 1
        let wall = days * 86_400 + hour * 3_600 + minute * 60 + second
        // Go looks up the offset at the wall time read as UTC, then re-checks it at the instant it
        // implies; asking the zone a second time at that instant gives the same answer in every case.
        let guess = wall - zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall)))
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess)))
        return Date(timeIntervalSince1970: Double(wall - offset) + fraction)
    }
}
