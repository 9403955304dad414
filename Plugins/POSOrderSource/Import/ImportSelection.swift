import CadangCore
import Foundation

/// Which of the importable orders an import looks at (`restore pos --session --from --to --select`).
struct ImportSelection: Sendable, Equatable {
    /// Only orders whose payload names this session.
    var sessionID: Int64?
    /// Only orders dated at or after this UTC time (the start of `--from`'s day in the shop).
    var fromUTC: String?
    /// Only orders dated before this UTC time (the end of `--to`'s day in the shop).
    var beforeUTC: String?
    /// Only these keys.
    var keys: [String]?

    /// Everything importable.
    init() {}

    /// The selection of the flags; `from` and `to` are days (`YYYY-MM-DD`) in `timeZone`, both
    /// included. Throws a usage error for a day that is not one, or a `to` before `from`.
    init(sessionID: Int64?, from: String?, to: String?, keys: [String]?, timeZone: TimeZone) throws {
        self.sessionID = sessionID
        self.keys = keys.flatMap { $0.isEmpty ? nil : $0 }
        let start = try from.map { try Self.startOfDay($0, flag: "--from", timeZone: timeZone) }
        let end = try to.map { try Self.startOfDay($0, flag: "--to", timeZone: timeZone, daysLater: 1) }
        if let start, let end, end <= start {
            throw CadangError(.usage, "--to \(to ?? "") is before --from \(from ?? "")", fix: "give the first day with --from and the last with --to")
        }
        fromUTC = start.map { OrderStore.timestamp($0) }
        beforeUTC = end.map { OrderStore.timestamp($0) }
    }

    /// Midnight at the start of `day` (plus `daysLater` days) in the shop's time zone.
    static func startOfDay(_ day: String, flag: String, timeZone: TimeZone, daysLater: Int = 0) throws -> Date {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let date = Int(parts[2]),
              let midnight = calendar.date(from: DateComponents(year: year, month: month, day: date)),
              calendar.component(.day, from: midnight) == date,
              let result = calendar.date(byAdding: .day, value: daysLater, to: midnight) else {
            throw CadangError(.usage, "\(flag) '\(day)' is not a day", fix: "write it as YYYY-MM-DD, e.g. \(flag) 2026-01-11 (the shop's time zone)")
        }
        return result
    }
}
