/// A validated option value.
public enum OptionValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int64)
    case number(Double)
    case boolean(Bool)
    /// Seconds.
    case duration(Double)
    case list([String])
    case map([String: String])
    /// The options of a `.group` option.
    case group([String: OptionValue])

    /// The value as it would be written in YAML.
    public var description: String {
        switch self {
        case .string(let s): s
        case .integer(let i): String(i)
        case .number(let d): String(d)
        case .boolean(let b): b ? "true" : "false"
        case .duration(let seconds): DurationText.format(seconds)
        case .list(let items): "[" + items.joined(separator: ", ") + "]"
        case .map(let pairs): "{" + pairs.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .group(let values): "{" + values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}
