/// The validated options of one configured plugin, with declared defaults filled in.
public struct PluginOptions: Sendable {
    private var values: [String: OptionValue]

    /// Creates options from validated values (the host does this; tests may too).
    public init(_ values: [String: OptionValue] = [:], defaults: [OptionSpec] = []) {
        var merged: [String: OptionValue] = [:]
        for spec in defaults { if let value = spec.defaultValue { merged[spec.name] = value } }
        merged.merge(values) { _, new in new }
        self.values = merged
    }

    /// The raw value, if set or defaulted.
    public subscript(name: String) -> OptionValue? { values[name] }

    /// A string or path option.
    public func string(_ name: String) -> String? {
        if case .string(let s)? = values[name] { return s }
        return nil
    }

    /// An integer option.
    public func integer(_ name: String) -> Int64? {
        if case .integer(let i)? = values[name] { return i }
        return nil
    }

    /// A number option (integers widen).
    public func number(_ name: String) -> Double? {
        switch values[name] {
        case .number(let d)?: d
        case .integer(let i)?: Double(i)
        default: nil
        }
    }

    /// A boolean option.
    public func bool(_ name: String) -> Bool? {
        if case .boolean(let b)? = values[name] { return b }
        return nil
    }

    /// A duration option, in seconds.
    public func duration(_ name: String) -> Double? {
        if case .duration(let seconds)? = values[name] { return seconds }
        return nil
    }

    /// A list option.
    public func list(_ name: String) -> [String]? {
        if case .list(let items)? = values[name] { return items }
        return nil
    }

    /// A group option's own options, with the group's declared defaults filled in.
    public func group(_ name: String, specs: [OptionSpec] = []) -> PluginOptions? {
        if case .group(let inner)? = values[name] { return PluginOptions(inner, defaults: specs) }
        return nil
    }

    /// Names of the options that are set (explicitly or by default).
    public var names: Set<String> { Set(values.keys) }

    /// A map option.
    public func map(_ name: String) -> [String: String]? {
        if case .map(let pairs)? = values[name] { return pairs }
        return nil
    }
}
