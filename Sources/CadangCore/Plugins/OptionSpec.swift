/// One option a plugin accepts: the single declaration that validation, `cadang plugins` and the
/// configuration reference are all generated from.
public struct OptionSpec: Sendable, Equatable {
    /// Key in the config, snake_case.
    public var name: String
    /// Value type.
    public var type: OptionType
    /// Used when the config omits the option; `nil` means none.
    public var defaultValue: OptionValue?
    /// The config must set it.
    public var isRequired: Bool
    /// Holds a secret: never printed, expected to come from `${VAR}`.
    public var isSecret: Bool
    /// One sentence for users.
    public var doc: String
    /// For integers: the values allowed.
    public var range: ClosedRange<Int64>?

    /// Declares an option.
    public init(_ name: String, _ type: OptionType, default defaultValue: OptionValue? = nil,
                required: Bool = false, secret: Bool = false, range: ClosedRange<Int64>? = nil, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isRequired = required
        self.isSecret = secret
        self.doc = doc
        self.range = range
    }

    /// The value `text` gives this option, or why it gives none (the tail of a sentence about the
    /// option, e.g. "must be a whole number, not 'x'"). Lists read as comma-separated words; maps
    /// and groups have no one-line form.
    public func value(of text: String) -> Result<OptionValue, OptionProblem> {
        // A secret's value never appears in messages.
        let shown = isSecret ? "the given value" : "'\(text)'"
        func wrong(_ expected: String) -> Result<OptionValue, OptionProblem> {
            .failure(OptionProblem(option: name, "must be \(expected)", fix: doc))
        }
        switch type {
        case .string:
            return .success(.string(text))
        case .path:
            return text.isEmpty ? wrong("a non-empty path") : .success(.string(text))
        case .integer:
            guard let value = Int64(text) else { return wrong("a whole number, not \(shown)") }
            if let range, !range.contains(value) {
                return wrong("between \(range.lowerBound) and \(range.upperBound), not \(shown)")
            }
            return .success(.integer(value))
        case .number:
            guard let value = Double(text), value.isFinite else { return wrong("a number, not \(shown)") }
            return .success(.number(value))
        case .boolean:
            switch text.lowercased() {
            case "true": return .success(.boolean(true))
            case "false": return .success(.boolean(false))
            default: return wrong("true or false, not \(shown)")
            }
        case .duration:
            guard let seconds = DurationText.parse(text) else { return wrong("a duration such as 30s, 5m, 2h or 7d, not \(shown)") }
            return .success(.duration(seconds))
        case .choice(let words):
            guard words.contains(text) else { return wrong("one of \(words.joined(separator: ", ")), not \(shown)") }
            return .success(.string(text))
        case .stringList:
            return .success(.list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }))
        case .stringMap, .group:
            return wrong("a mapping, which has no one-line form")
        }
    }
}
