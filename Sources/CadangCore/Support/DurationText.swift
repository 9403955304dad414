/// Parses and prints spans such as `90s`, `5m`, `1h30m`, `7d`, `2w` (a bare number means seconds).
public enum DurationText {
    private static let units: [(Character, Double)] = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Seconds, or `nil` when `text` is not a duration. Units: ms, s, m, h, d, w.
    public static func parse(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let plainNumber = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        if plainNumber, let seconds = Double(text), seconds.isFinite { return seconds }
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard !number.isEmpty, let value = Double(number), value.isFinite else { return nil }
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

    /// A measured duration for logs, `0.245 s` (Scripts/bench reads this form).
    public static func seconds(_ value: Double) -> String {
        String(format: "%.3f s", value)
    }

    /// The shortest text for a span, e.g. `1h30m` or `250ms`.
    public static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        var millis = (seconds * 1000).rounded()
        if millis == 0 { return "1ms" }
        var text = ""
        for (symbol, size) in units {
            let unit = size * 1000
            guard millis >= unit else { continue }
            let whole = (millis / unit).rounded(.down)
            text += "\(Int(whole))\(symbol)"
            millis -= whole * unit
        }
        if millis > 0 { text += "\(Int(millis))ms" }
        return text
    }
}

import Foundation
