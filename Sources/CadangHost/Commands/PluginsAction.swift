import CadangCore

/// `cadang plugins`: every registered plugin with its options, from their declarations.
public struct PluginsAction {
    /// `--json`.
    public var json: Bool
    /// `--markdown`: the configuration reference (Docs/configuration.md).
    public var markdown: Bool

    /// Creates the action.
    public init(json: Bool, markdown: Bool = false) {
        self.json = json
        self.markdown = markdown
    }

    private struct PluginInfo: Encodable {
        struct Option: Encodable {
            var name: String
            var type: String
            var `default`: String?
            var required: Bool
            var secret: Bool
            var doc: String
        }
        var kind: String
        var name: String
        var summary: String
        var options: [Option]
    }

    /// Prints the list.
    public func execute(in session: Session) throws -> ExitStatus {
        let descriptors = session.registry.plugins.map(\.descriptor)
        if markdown {
            print(ConfigurationReference.markdown(for: session.registry), terminator: "")
            return .success
        }
        if json {
            try JSONOutput.print(descriptors.map { d in
                PluginInfo(kind: d.kind.rawValue, name: d.name, summary: d.summary, options: d.options.map {
                    .init(name: $0.name, type: $0.type.displayName, default: $0.defaultValue?.description,
                          required: $0.isRequired, secret: $0.isSecret, doc: $0.doc)
                })
            })
            return .success
        }
        for kind in PluginKind.allCases {
            let ofKind = descriptors.filter { $0.kind == kind }
            guard !ofKind.isEmpty else { continue }
            session.say("\(kind.section):")
            for d in ofKind {
                session.say("  \(d.name) — \(d.summary)")
                for option in d.options {
                    var line = "      \(option.name) (\(option.type.displayName)"
                    if option.isRequired { line += ", required" }
                    if let value = option.defaultValue { line += ", default \(value)" }
                    line += "): \(option.doc)"
                    session.say(line)
                }
            }
        }
        return .success
    }
}
