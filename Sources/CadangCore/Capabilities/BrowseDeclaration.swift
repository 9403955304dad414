/// What a `RecordBrowsing` source's list offers: its filters, its smart filters, the columns worth
/// showing, how the state column is coloured, and the operations that take chosen records.
public struct BrowseDeclaration: Sendable {
    /// What one record is called ("order" / "pesanan").
    public var noun: LocalizedText
    /// What many are called ("orders" / "pesanan").
    public var plural: LocalizedText
    /// Every parameter `browse` accepts (`page` is the host's own).
    public var filters: [BrowseFilter]
    /// Named sets of filter values ("Missing on Server": `missing=1`), shown as one link each.
    public var presets: [BrowsePreset]
    /// The columns of a page the console's list shows, in order (the API gives them all).
    public var listed: [String]
    /// The column holding the record's state, shown as a badge.
    public var stateColumn: String?
    /// The tone of each state's badge.
    public var tones: [String: BadgeTone]
    /// The operations the list's chosen records can be given to, with the option that takes their keys.
    public var actions: [BrowseAction]

    /// A declaration.
    public init(noun: LocalizedText, plural: LocalizedText, filters: [BrowseFilter], presets: [BrowsePreset] = [],
                listed: [String], stateColumn: String? = nil, tones: [String: BadgeTone] = [:], actions: [BrowseAction] = []) {
        self.noun = noun
        self.plural = plural
        self.filters = filters
        self.presets = presets
        self.listed = listed
        self.stateColumn = stateColumn
        self.tones = tones
        self.actions = actions
    }

    /// The filter named `name`.
    public func filter(_ name: String) -> BrowseFilter? {
        filters.first { $0.name == name }
    }
}

/// One parameter of a list.
public struct BrowseFilter: Sendable {
    /// Its name in the query string (`state`, `session`, `from`).
    public var name: String
    public var label: LocalizedText
    public var kind: Kind

    /// What a filter's value is.
    public enum Kind: Sendable, Equatable {
        /// One of these values.
        case choice([String])
        /// A whole number.
        case integer
        /// A day, `YYYY-MM-DD`.
        case day
        /// Free text.
        case text
        /// On when present with `1` or `true`.
        case flag
    }

    /// A filter.
    public init(_ name: String, _ label: LocalizedText, _ kind: Kind) {
        self.name = name
        self.label = label
        self.kind = kind
    }

    /// Whether `value` is a value of this filter (an empty value means no filter); else why not.
    public func problem(with value: String) -> String? {
        guard !value.isEmpty else { return nil }
        switch kind {
        case .choice(let values):
            return values.contains(value) ? nil : "\(name) must be one of \(values.joined(separator: ", ")), not '\(value)'"
        case .integer:
            return Int64(value) == nil ? "\(name) must be a whole number, not '\(value)'" : nil
        case .day:
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            let valid = parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
                && parts.allSatisfy { $0.allSatisfy(\.isASCII) && Int($0) != nil }
            return valid ? nil : "\(name) must be a day as YYYY-MM-DD, not '\(value)'"
        case .text:
            return value.utf8.count > 200 ? "\(name) is longer than 200 bytes" : nil
        case .flag:
            return ["1", "true", "0", "false"].contains(value) ? nil : "\(name) must be 1 or 0, not '\(value)'"
        }
    }

    /// Whether a flag's value turns it on.
    public static func isOn(_ value: String?) -> Bool {
        value == "1" || value == "true"
    }
}

/// A smart filter: a name and the filter values it stands for.
public struct BrowsePreset: Sendable {
    public var name: String
    public var label: LocalizedText
    public var parameters: [String: String]

    /// A preset.
    public init(_ name: String, _ label: LocalizedText, _ parameters: [String: String]) {
        self.name = name
        self.label = label
        self.parameters = parameters
    }
}

/// How a badge is coloured.
public enum BadgeTone: String, Sendable {
    case neutral, good, warning, bad, info
}

/// An operation the list's chosen records go to (`restore` with `select`: import them).
public struct BrowseAction: Sendable {
    public var verb: OperationVerb
    public var label: LocalizedText
    /// The operation's option that takes the chosen keys; nil when it works on its rule alone.
    public var keysOption: String?

    /// An action.
    public init(_ verb: OperationVerb, _ label: LocalizedText, keysOption: String? = nil) {
        self.verb = verb
        self.label = label
        self.keysOption = keysOption
    }
}
