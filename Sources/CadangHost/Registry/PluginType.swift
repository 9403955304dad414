import CadangCore

/// One registered plugin type, tagged with its role.
// Metatypes are immutable; the unchecked conformance only tells the compiler so.
public enum PluginType: @unchecked Sendable {
    case source(any Source.Type)
    case sink(any Sink.Type)
    case policy(any Policy.Type)

    /// The plugin's declaration.
    public var descriptor: PluginDescriptor {
        switch self {
        case .source(let type): type.descriptor
        case .sink(let type): type.descriptor
        case .policy(let type): type.descriptor
        }
    }
}
