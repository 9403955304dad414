/// Parses and prints spans such as `90s`, `5m`, `1h30m`, `7d`, `2w` (a bare number means seconds).
public enum DurationText {
    private static let units: [(Character, Double)] = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Seconds, or `nil` when `text` is not a duration. Units: ms, s, m, h, d, w.
    public static func parse(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds >= 0 { return seconds }
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number) else { return nil }
            if unit == "ms" {
                total += value / 1000
            } else if unit.count == 1, let size = units.first(where: { $0.0 == unit.first })?.1 {
                total += value * size
            } else {
                return nil
            }
        }
        return total
    }

    /// The shortest text for a span, e.g. `1h30m`.
    public static func format(_ seconds: Double) -> String {
        if seconds == 0 { return "0s" }
        var rest = seconds
        var text = ""
        for (symbol, size) in units where rest >= size {
            let whole = (rest / size).rounded(.down)
            text += "\(Int(whole))\(symbol)"
            rest -= whole * size
        }
        if rest >= 0.001 { text += "\(Int((rest * 1000).rounded()))ms" }
        return text
    }
}

import Foundation
