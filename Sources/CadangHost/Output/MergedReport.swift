/// A `--json` object made of named parts: the command's own (its keys, when it is an object
/// (`base`), or under a name such as `"sets"`) and each source operation's report under its
/// source's name (e.g. `"pos": {…}`).
struct MergedReport: Encodable {
    /// An object whose keys are written at the top level.
    var base: (any Encodable)? = nil
    var parts: [(key: String, value: any Encodable)]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        // JSONEncoder merges keyed containers requested twice at one level.
        try base?.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        for part in parts {
            try container.encode(AnyEncodable(part.value), forKey: Key(stringValue: part.key))
        }
    }
}

/// An existential `Encodable` passed where a concrete type is needed.
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
