import Foundation

extension OrderStats {
    /// How many sessions and configs the terminal table lists; `--json` and the HTML have all.
    static let textListLimit = 10

    /// The success rate as a percentage with one decimal, e.g. `97.5 %`.
    var successPercent: String { String(format: "%.1f %%", successRate * 100) }

    /// The report as a table for the terminal: totals by state, the success rate, the sessions
    /// and configs with the most missing orders, and a line per day.
    func text() -> String {
        var lines = ["orders: \(total), success rate \(successPercent) (verified + imported + duplicate)", ""]
        lines.append(Self.row("state", "orders"))
        for state in Self.states { lines.append(Self.row(state, "\(byState[state])")) }
        lines += Self.missingTable("session", missingBySession)
        lines += Self.missingTable("config", missingByConfig)
        lines.append("")
        if perDay.isEmpty {
            lines.append("no order has an order date")
        } else {
            lines.append(Self.row("day", "orders", "missing"))
            for day in perDay { lines.append(Self.row(day.day, "\(day.orders)", "\(day.missing)")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A blank line and the first `textListLimit` of `counts`, or a line saying none is missing.
    private static func missingTable(_ name: String, _ counts: [MissingCount]) -> [String] {
        guard !counts.isEmpty else { return ["", "missing on server by \(name): none"] }
        let shown = counts.prefix(textListLimit)
        let heading = counts.count > shown.count ? "missing on server by \(name) (top \(shown.count) of \(counts.count))"
                                                 : "missing on server by \(name)"
        return ["", heading] + shown.map { row($0.id.map { "\(name) \($0)" } ?? "no \(name)", "\($0.missing)") }
    }

    /// A label left-aligned in 14 columns, then numbers right-aligned in 9 each.
    private static func row(_ label: String, _ numbers: String...) -> String {
        let padded = label.count < 14 ? label + String(repeating: " ", count: 14 - label.count) : label + " "
        return "  " + padded + numbers.map { String(repeating: " ", count: max(0, 9 - $0.count)) + $0 }.joined(separator: " ")
    }
}
