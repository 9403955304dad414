/// Markup in which every interpolated value is escaped unless it is markup itself: a page cannot
/// carry a till's `<script>` or `"><img onerror=…>` by mistake, since text from a payload is a
/// `String` and only literals written here, or `HTML` built from them, pass through as they are.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    private(set) var text: String

    /// A literal written in this module: trusted markup.
    init(stringLiteral value: String) { text = value }

    init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    /// Nothing.
    static let empty: HTML = ""

    var description: String { text }

    /// `parts` one after another.
    static func joined(_ parts: [HTML], separator: HTML = "") -> HTML {
        var result = HTML.empty
        for (index, part) in parts.enumerated() {
            if index > 0 { result.text += separator.text }
            result.text += part.text
        }
        return result
    }

    /// Builds markup: literals as written, `HTML` as it is, everything else escaped.
    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var text = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ markup: HTML) { text += markup.text }
        mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { text += part.text } }
        mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        mutating func appendInterpolation(_ value: Substring) { text += HTML.escape(String(value)) }
        mutating func appendInterpolation<T: BinaryInteger>(_ value: T) { text += String(value) }
        mutating func appendInterpolation(_ value: Double) { text += HTML.escape(value.description) }
    }

    /// `value` with `& < > " '` as entities: safe in text and in quoted attributes.
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return value }
        var result = ""
        result.reserveCapacity(value.utf8.count + 16)
        for character in value.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
