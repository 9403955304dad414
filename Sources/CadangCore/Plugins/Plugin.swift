/// Common ground of sources, sinks and policies: a static declaration and an initialiser from config.
public protocol Plugin {
    /// Name, summary and options schema.
    static var descriptor: PluginDescriptor { get }
    /// Builds an instance from validated options; throws `CadangError` for problems only visible now.
    init(configuration: PluginConfiguration) throws
}
