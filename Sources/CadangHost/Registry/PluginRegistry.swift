import CadangCore

/// The plugins a `cadang` binary knows. The built-in list is `PluginRegistry.builtIn` in the
/// `CadangPlugins` target, the only one that imports every plugin; the host knows none by name.
public struct PluginRegistry: Sendable {
    /// Registered plugin types.
    public private(set) var plugins: [PluginType]

    /// A registry of these plugins.
    public init(_ plugins: [PluginType]) {
        self.plugins = plugins
    }

    /// This registry plus more plugins (e.g. a test source).
    public func adding(_ more: [PluginType]) -> PluginRegistry {
        PluginRegistry(plugins + more)
    }

    /// The plugin of `kind` called `name`.
    public func plugin(_ kind: PluginKind, named name: String) -> PluginType? {
        plugins.first { $0.descriptor.kind == kind && $0.descriptor.name == name }
    }

    /// The plugin that checks artifacts of `format`: the one the manifest names when it checks that
    /// format, else any plugin that does (manifests written before the writer was recorded).
    public func checker(plugin name: String?, format: String) -> (any ArtifactChecking.Type)? {
        let checkers = plugins.compactMap { $0.type as? any ArtifactChecking.Type }.filter { $0.checkedFormats.contains(format) }
        if let name, let named = checkers.first(where: { ($0 as? any Plugin.Type)?.descriptor.name == name }) { return named }
        return checkers.first
    }

    /// The source plugins that write starter configs, by their `cadang init --KEY`.
    public var starters: [any StarterConfigProviding.Type] {
        plugins.compactMap { $0.type as? any StarterConfigProviding.Type }
    }

    /// Names of the plugins of one kind.
    public func names(of kind: PluginKind) -> [String] {
        plugins.map(\.descriptor).filter { $0.kind == kind }.map(\.name)
    }
}
