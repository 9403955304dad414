/// One option a plugin accepts: the single declaration that validation, `cadang plugins` and the
/// configuration reference are all generated from.
public struct OptionSpec: Sendable {
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

    /// Declares an option.
    public init(_ name: String, _ type: OptionType, default defaultValue: OptionValue? = nil,
                required: Bool = false, secret: Bool = false, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isRequired = required
        self.isSecret = secret
        self.doc = doc
    }
}
