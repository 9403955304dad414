import CadangCore
import CSVSink
import KasirSource
import JSONSink
import DuplicatePolicy
import RetentionPolicy
import TarGzSink

/// The plugins a `cadang` binary knows. Adding a plugin is one line in `builtIn`.
public struct PluginRegistry: Sendable {
    /// Every plugin of this build, in listing order.
    public static let builtIn = PluginRegistry([
        .source(KasirSource.self),
        .sink(CSVSink.self),
        .sink(JSONSink.self),
        .sink(TarGzSink.self),
        .policy(RetentionPolicy.self),
        .policy(DuplicatePolicy.self),
    ])

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

    /// Names of the plugins of one kind.
    public func names(of kind: PluginKind) -> [String] {
        plugins.map(\.descriptor).filter { $0.kind == kind }.map(\.name)
    }
}
