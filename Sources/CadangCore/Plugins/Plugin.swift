/// Common ground of sources, sinks and policies: a static declaration, the checks its options must
/// pass, and an initialiser from config.
///
/// Contract: every rule a plugin enforces on its options is either declared in its `OptionSpec`s
/// (type, choices, range, required) or reported by `check(_:)`, so `cadang config check` reports
/// them all at once with their position; `init` may then assume options that passed.
public protocol Plugin {
    /// Name, summary, options schema and operations.
    static var descriptor: PluginDescriptor { get }
    /// Rules that span options (e.g. a mode that needs another option); empty when the options are sound.
    static func check(_ options: PluginOptions) -> [OptionProblem]
    /// Builds an instance from validated options; throws `CadangError` for problems only visible now.
    init(configuration: PluginConfiguration) throws
}

extension Plugin {
    public static func check(_ options: PluginOptions) -> [OptionProblem] { [] }
}
