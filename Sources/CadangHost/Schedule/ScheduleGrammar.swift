import CadangCore
import Yams

/// Reads a job's `schedule:` value, reporting each mistake at its place with the fix.
extension ConfigChecker {
    /// The keys a `schedule:` mapping may hold.
    static let scheduleKeys = ["at", "days", "every"]

    /// The schedule of job `job` from `node`, or nil (with diagnostics) when it is not one.
    mutating func schedule(_ node: Node, job: String) -> Schedule? {
        let what = "the schedule of job '\(job)'"
        let example = "e.g. schedule: { at: [\"23:00\"] } or schedule: { every: 6h }"
        guard let pairs = mapping(node, what: what) else { return nil }
        let before = diagnostics.count
        checkKeys(pairs, allowed: Self.scheduleKeys, in: what)
        let at = pairs.value(for: "at"), every = pairs.value(for: "every"), days = pairs.value(for: "days")
        switch (at, every) {
        case (nil, nil):
            report(node, "\(what) needs 'at' (times of day) or 'every' (a cadence)", hint: example)
            return nil
        case (.some, .some):
            report(every, "\(what) has both 'at' and 'every'", hint: "keep one; a second schedule needs a second job")
            return nil
        case (nil, .some(let every)):
            if let days {
                report(days, "\(what) has 'days' with 'every'", hint: "'days' goes with 'at'; remove it, or use at: [...] instead of every")
            }
            let seconds = cadence(every, what: what)
            return diagnostics.count == before ? seconds.map { .every(seconds: $0) } : nil
        case (.some(let at), nil):
            let times = timesOfDay(at, what: what)
            let chosen = days.flatMap { weekdays($0, what: what) } ?? []
            guard diagnostics.count == before, let times else { return nil }
            return .at(times, days: chosen.count == Weekday.allCases.count ? [] : chosen)
        }
    }

    private mutating func cadence(_ node: Node, what: String) -> Int? {
        guard let text = string(node, what: "'every' of \(what)") else { return nil }
        guard let seconds = DurationText.parse(text), seconds >= 1, seconds.rounded() == seconds, seconds <= 366 * 86_400 else {
            report(node, "'every' of \(what) must be a duration of at least 1s in whole seconds, not '\(text)'",
                   hint: "e.g. 30s, 5m, 6h, 1d")
            return nil
        }
        return Int(seconds)
    }

    private mutating func timesOfDay(_ node: Node, what: String) -> [TimeOfDay]? {
        guard let items = nonEmptyList(node, key: "at", what: what, example: "at: [\"23:00\"]") else { return nil }
        var times: [TimeOfDay] = []
        for (text, item) in items {
            guard let time = TimeOfDay(text) else {
                report(item, "'\(text)' in 'at' of \(what) is not a time of day", hint: "write HH:MM from 00:00 to 23:59, quoted: \"21:30\"")
                continue
            }
            if !times.contains(time) { times.append(time) }
        }
        return times.sorted()
    }

    private mutating func weekdays(_ node: Node, what: String) -> [Weekday]? {
        guard let items = nonEmptyList(node, key: "days", what: what, example: "days: [mon, tue, wed, thu, fri, sat], or leave 'days' out for every day") else {
            return nil
        }
        var days: [Weekday] = []
        for (text, item) in items {
            guard let day = Weekday(rawValue: text.lowercased()) else {
                let names = Weekday.allCases.map(\.rawValue)
                report(item, "unknown day '\(text)' in 'days' of \(what)",
                       hint: Suggestion.hint(for: text, among: names) ?? "days are \(names.joined(separator: ", "))")
                continue
            }
            if !days.contains(day) { days.append(day) }
        }
        return days.sorted()
    }

    /// A list that has at least one item.
    private mutating func nonEmptyList(_ node: Node, key: String, what: String, example: String) -> [(String, Node)]? {
        guard let items = strings(node, what: "'\(key)' of \(what)") else { return nil }
        if items.isEmpty {
            report(node, "'\(key)' of \(what) is empty", hint: example)
            return nil
        }
        return items
    }
}
