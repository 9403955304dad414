import CadangCore

/// One registered plugin type, tagged with its role.
// Metatypes are immutable; the unchecked conformance only tells the compiler so.
public enum PluginType: @unchecked Sendable {
    case source(any Source.Type)
    case sink(any Sink.Type)
    case policy(any Policy.Type)
    case monitor(any Monitor.Type)

    /// The plugin's type, for what every plugin has (its declaration, its option rules).
    public var type: any Plugin.Type {
        switch self {
        case .source(let type): type
        case .sink(let type): type
        case .policy(let type): type
        case .monitor(let type): type
        }
    }

    /// The plugin's declaration.
    public var descriptor: PluginDescriptor { type.descriptor }
}
