/// The roles a plugin can play.
public enum PluginKind: String, Sendable, CaseIterable, Codable {
    case source, sink, policy, monitor
}
