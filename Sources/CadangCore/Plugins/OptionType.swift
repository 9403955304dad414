/// The type of one plugin option, used to validate config values and to document them.
public enum OptionType: Sendable, Equatable {
    case string
    /// A filesystem path; relative paths are resolved against the config file's folder.
    case path
    case integer
    case number
    case boolean
    /// One of a fixed set of words.
    case choice([String])
    /// A span such as `30s`, `5m`, `1h30m`, `7d`.
    case duration
    case stringList
    /// A mapping of words to words (e.g. dataset → key column).
    case stringMap
    /// A mapping of its own options (e.g. `records: {older_than: 30d, states: [verified]}`).
    case group([OptionSpec])

    /// How the type reads in `cadang plugins` and the configuration reference.
    public var displayName: String {
        switch self {
        case .string: "string"
        case .path: "path"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .choice(let words): words.joined(separator: " | ")
        case .duration: "duration"
        case .stringList: "list of strings"
        case .stringMap: "map of strings"
        case .group(let specs): "{" + specs.map(\.name).joined(separator: ", ") + "}"
        }
    }
}
