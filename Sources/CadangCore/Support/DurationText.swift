/// Parses and prints spans such as `90s`, `5m`, `1h30m`, `7d`, `2w` (a bare number means seconds).
public enum DurationText {
    private static let units: [(Character, Double)] = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Seconds, or `nil` when `text` is not a duration.
    public static func parse(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds >= 0 { return seconds }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units.first(where: { $0.0 == character })?.1, let value = Double(number) {
                total += value * unit
                number = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        return sawUnit && number.isEmpty ? total : nil
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
        if rest > 0 { text += "\(rest)s" }
        return text
    }
}

import Foundation
