/// HTML text helpers for the stats page: everything the page shows goes through `escape`.
enum StatsHTML {
    /// `text` safe inside an element or a quoted attribute: `&`, `<`, `>`, `"` and `'` replaced
    /// by entities (the apostrophe too, so a single-quoted attribute is safe as well).
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// An integer escaped like any other text: numbers are text on the page too.
    static func escape(_ number: Int) -> String { escape(String(number)) }

    /// A coordinate for SVG, with at most one decimal.
    static func coordinate(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }
}
