import Foundation

/// A retention policy's rules (DESIGN.md §6, restic's `forget`): bucket counts and spans back from
/// the newest set. A set is kept when any rule keeps it.
///
/// Counts: `0` turns a rule off, `-1` (or `unlimited` in text) keeps every bucket. Spans are
/// `RetentionSpan`s (`1y2m3d4h`, `m` = months); the zero span turns a rule off.
public struct RetentionRules: Sendable, Hashable, CustomStringConvertible {
    /// The count that keeps every bucket.
    public static let unlimited = -1

    /// Keep the newest n sets.
    public var keepLast: Int
    /// Keep the newest set of each of the newest n hours that have sets.
    public var keepHourly: Int
    /// Keep the newest set of each of the newest n days that have sets.
    public var keepDaily: Int
    /// Keep the newest set of each of the newest n ISO weeks that have sets.
    public var keepWeekly: Int
    /// Keep the newest set of each of the newest n months that have sets.
    public var keepMonthly: Int
    /// Keep the newest set of each of the newest n years that have sets.
    public var keepYearly: Int
    /// Keep every set newer than this span before the newest set.
    public var keepWithin: RetentionSpan
    /// Keep the newest set of every hour within this span.
    public var keepWithinHourly: RetentionSpan
    /// Keep the newest set of every day within this span.
    public var keepWithinDaily: RetentionSpan
    /// Keep the newest set of every ISO week within this span.
    public var keepWithinWeekly: RetentionSpan
    /// Keep the newest set of every month within this span.
    public var keepWithinMonthly: RetentionSpan
    /// Keep the newest set of every year within this span.
    public var keepWithinYearly: RetentionSpan

    /// Creates rules; everything defaults to off.
    public init(keepLast: Int = 0, keepHourly: Int = 0, keepDaily: Int = 0, keepWeekly: Int = 0,
                keepMonthly: Int = 0, keepYearly: Int = 0, keepWithin: RetentionSpan = RetentionSpan(),
                keepWithinHourly: RetentionSpan = RetentionSpan(), keepWithinDaily: RetentionSpan = RetentionSpan(),
                keepWithinWeekly: RetentionSpan = RetentionSpan(), keepWithinMonthly: RetentionSpan = RetentionSpan(),
                keepWithinYearly: RetentionSpan = RetentionSpan()) {
        self.keepLast = keepLast
        self.keepHourly = keepHourly
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
        self.keepYearly = keepYearly
        self.keepWithin = keepWithin
        self.keepWithinHourly = keepWithinHourly
        self.keepWithinDaily = keepWithinDaily
        self.keepWithinWeekly = keepWithinWeekly
        self.keepWithinMonthly = keepWithinMonthly
        self.keepWithinYearly = keepWithinYearly
    }

    /// The count options, in restic's order.
    public static let countNames = ["keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly"]
    /// The span options, in restic's order.
    public static let spanNames = ["keep_within", "keep_within_hourly", "keep_within_daily", "keep_within_weekly",
                                   "keep_within_monthly", "keep_within_yearly"]

    /// The options' declarations, for a plugin that takes retention rules. Spans are strings, not
    /// `.duration`, because a duration's `m` is minutes.
    public static let optionSpecs: [OptionSpec] = {
        let buckets = ["hour", "day", "ISO week", "month", "year"]
        var specs = [OptionSpec("keep_last", .integer, doc: "Keep the newest n sets (-1: all).")]
        for (name, bucket) in zip(countNames.dropFirst(), buckets) {
            specs.append(OptionSpec(name, .integer,
                                    doc: "Keep the newest set of each of the newest n \(bucket)s that have sets (-1: all)."))
        }
        specs.append(OptionSpec("keep_within", .string,
                                doc: "Keep every set made within this span before the newest set, like 1y2m3d4h (m = months)."))
        for (name, bucket) in zip(spanNames.dropFirst(), buckets) {
            specs.append(OptionSpec(name, .string,
                                    doc: "Keep the newest set of every \(bucket) within this span before the newest set (1y2m3d4h, m = months)."))
        }
        return specs
    }()

    /// Reads the rules from a plugin's options; other options are ignored. Counts may be integers,
    /// `-1` or `unlimited`; spans are strings.
    public init(options: PluginOptions) throws {
        self.init()
        for name in Self.countNames + Self.spanNames {
            let isSpan = Self.spanNames.contains(name)
            switch (options[name], isSpan) {
            case (nil, _): continue
            case (.string(let text)?, _): try set(name, text)
            case (.integer(let count)?, false):
                guard let count = Int(exactly: count) else {
                    throw CadangError(.usage, "\(name): \(count) is out of range", fix: "use a count of sets, or -1 for all")
                }
                try set(name, count: count)
            case (let other?, _):
                let shape = isSpan ? "a span like 1y2m3d4h (m = months)" : "a count, or -1 for all"
                throw CadangError(.usage, "\(name): \(other) is not \(shape)", fix: "write \(name) as \(shape)")
            }
        }
    }

    /// Reads the rules from option names and texts, such as command-line flags (`keep_daily` → `7`).
    public init(_ values: [String: String]) throws {
        self.init()
        for (name, text) in values.sorted(by: { $0.key < $1.key }) { try set(name, text) }
    }

    /// Sets one rule from its text: a count (`7`, `-1`, `unlimited`) or a span (`1y2m3d4h`).
    public mutating func set(_ name: String, _ text: String) throws {
        if Self.spanNames.contains(name) {
            do {
                try set(name, span: RetentionSpan.parse(text))
            } catch let error as CadangError {
                throw CadangError(error.status, "\(name): \(error.message)", fix: error.fix)
            }
            return
        }
        guard Self.countNames.contains(name) else { throw Self.misnamed(name) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let count = trimmed == "unlimited" ? Self.unlimited : Int(trimmed) else {
            throw CadangError(.usage, "\(name): \(text.debugDescription) is not a count",
                              fix: "write a number of sets, or -1 (unlimited) for all")
        }
        try set(name, count: count)
    }

    /// Sets one count rule; only `-1` may be negative.
    public mutating func set(_ name: String, count: Int) throws {
        guard count >= Self.unlimited else {
            throw CadangError(.usage, "\(name): \(count) is negative", fix: "use -1 (unlimited) to keep all, or 0 for none")
        }
        switch name {
        case "keep_last": keepLast = count
        case "keep_hourly": keepHourly = count
        case "keep_daily": keepDaily = count
        case "keep_weekly": keepWeekly = count
        case "keep_monthly": keepMonthly = count
        case "keep_yearly": keepYearly = count
        default: throw Self.misnamed(name)
        }
    }

    /// Sets one span rule.
    public mutating func set(_ name: String, span: RetentionSpan) throws {
        guard [span.years, span.months, span.days, span.hours].allSatisfy({ $0 >= 0 }) else {
            throw CadangError(.usage, "\(name): \(span) is negative", fix: "spans count back from the newest set; write them without signs")
        }
        switch name {
        case "keep_within": keepWithin = span
        case "keep_within_hourly": keepWithinHourly = span
        case "keep_within_daily": keepWithinDaily = span
        case "keep_within_weekly": keepWithinWeekly = span
        case "keep_within_monthly": keepWithinMonthly = span
        case "keep_within_yearly": keepWithinYearly = span
        default: throw Self.misnamed(name)
        }
    }

    /// Whether no rule is on: such a policy keeps nothing, so callers refuse it.
    public var isEmpty: Bool {
        [keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly].allSatisfy { $0 == 0 }
            && [keepWithin, keepWithinHourly, keepWithinDaily, keepWithinWeekly, keepWithinMonthly, keepWithinYearly]
            .allSatisfy(\.isZero)
    }

    /// restic's policy line, e.g. `keep 7 daily, all monthly snapshots, daily snapshots within 7d and
    /// all snapshots within 1m of the newest`; `remove` when empty. Its words match the keep reasons.
    public var description: String {
        let counts = [(keepLast, "latest"), (keepHourly, "hourly"), (keepDaily, "daily"), (keepWeekly, "weekly"),
                      (keepMonthly, "monthly"), (keepYearly, "yearly")]
        let keeps = counts.compactMap { count, word -> String? in
            count > 0 ? "\(count) \(word)" : count == Self.unlimited ? "all \(word)" : nil
        }
        let spans = [(keepWithinHourly, "hourly"), (keepWithinDaily, "daily"), (keepWithinWeekly, "weekly"),
                     (keepWithinMonthly, "monthly"), (keepWithinYearly, "yearly")]
        let withins = spans.compactMap { span, word in span.isZero ? nil : "\(word) snapshots within \(span)" }
        var text = keeps.isEmpty ? "" : keeps.joined(separator: ", ") + " snapshots"
        if !withins.isEmpty { text += (text.isEmpty ? "" : ", ") + withins.joined(separator: ", ") }
        if !keepWithin.isZero { text += (text.isEmpty ? "" : " and ") + "all snapshots within \(keepWithin) of the newest" }
        return text.isEmpty ? "remove" : "keep " + text
    }

    /// The error for a rule set with the wrong kind of value, or a name that is no rule.
    private static func misnamed(_ name: String) -> CadangError {
        if spanNames.contains(name) {
            return CadangError(.usage, "\(name) takes a span like 1y2m3d4h (m = months), not a count")
        }
        if countNames.contains(name) {
            return CadangError(.usage, "\(name) takes a count of sets (-1 for all), not a span")
        }
        return CadangError(.usage, "\(name) is not a retention rule",
                           fix: "use one of " + (countNames + spanNames).joined(separator: ", "))
    }
}

extension RetentionRules {
    /// The problems of the `keep_*` options in `options`, one per option, for a plugin's `check`.
    public static func problems(in options: PluginOptions) -> [OptionProblem] {
        var problems: [OptionProblem] = []
        for name in countNames + spanNames where options[name] != nil {
            var single = PluginOptions()
            if let value = options[name] { single = PluginOptions([name: value]) }
            do {
                _ = try RetentionRules(options: single)
            } catch let error as CadangError {
                // The rule's own messages start with its name; the option is named by position.
                let message = error.message.hasPrefix(name + ": ") ? String(error.message.dropFirst(name.count + 2)) : error.message
                problems.append(OptionProblem(option: name, message, fix: error.fix))
            } catch {
                problems.append(OptionProblem(option: name, "\(error)"))
            }
        }
        return problems
    }
}
