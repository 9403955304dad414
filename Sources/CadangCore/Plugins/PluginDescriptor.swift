/// What a plugin declares about itself: its config name, a one-line summary and its options.
public struct PluginDescriptor: Sendable {
    /// Source, sink or policy.
    public var kind: PluginKind
    /// The value of `plugin:` in the config, e.g. `csv`.
    public var name: String
    /// One line for `cadang plugins`.
    public var summary: String
    /// Every option the plugin accepts.
    public var options: [OptionSpec]
    /// Whether a job may list at most one component of this plugin (e.g. one retention policy).
    public var onePerJob: Bool
    /// Operations a source adds to the generic verbs (`verify`, `restore`, `prune`, `stats`).
    public var operations: [OperationSpec]

    /// Creates a descriptor.
    public init(kind: PluginKind, name: String, summary: String, options: [OptionSpec] = [], onePerJob: Bool = false,
                operations: [OperationSpec] = []) {
        self.kind = kind
        self.name = name
        self.summary = summary
        self.options = options
        self.onePerJob = onePerJob
        self.operations = operations
    }

    /// The operation this plugin adds to `verb`, if any.
    public func operation(_ verb: OperationVerb) -> OperationSpec? {
        operations.first { $0.verb == verb }
    }

    /// The option called `name`, if declared.
    public func option(named name: String) -> OptionSpec? {
        options.first { $0.name == name }
    }
}
