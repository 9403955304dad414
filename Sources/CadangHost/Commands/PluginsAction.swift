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
        struct Operation: Encodable {
            var verb: String
            var summary: String
            var changesData: Bool
            var options: [Option]
            enum CodingKeys: String, CodingKey { case verb, summary, changesData = "changes_data", options }
        }
        var kind: String
        var name: String
        var summary: String
        var options: [Option]
        var operations: [Operation]
    }

    private static func info(_ option: OptionSpec) -> PluginInfo.Option {
        .init(name: option.name, type: option.type.displayName, default: option.defaultValue?.description,
              required: option.isRequired, secret: option.isSecret, doc: option.doc)
    }

    /// One line of `cadang plugins` for an option.
    private static func line(_ option: OptionSpec, indent: String, flag: Bool = false) -> String {
        var line = "\(indent)\(flag ? "--" + option.name.replacingOccurrences(of: "_", with: "-") : option.name) (\(option.type.displayName)"
        if option.isRequired { line += ", required" }
        if let range = option.range { line += ", \(range.lowerBound)…\(range.upperBound)" }
        if let value = option.defaultValue { line += ", default \(value)" }
        return line + "): \(option.doc)"
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
                PluginInfo(kind: d.kind.rawValue, name: d.name, summary: d.summary, options: d.options.map(Self.info),
                           operations: d.operations.map {
                               .init(verb: $0.verb.rawValue, summary: $0.summary, changesData: $0.changesData, options: $0.options.map(Self.info))
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
                for option in d.options { session.say(Self.line(option, indent: "      ")) }
                for operation in d.operations {
                    session.say("    cadang \(operation.verb.rawValue): \(operation.summary)" + (operation.changesData ? " (changes data)" : ""))
                    for option in operation.options { session.say(Self.line(option, indent: "        ", flag: true)) }
                }
            }
        }
        return .success
    }
}
