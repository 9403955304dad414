import CadangCore
import Foundation
import Yams

/// The validation pass over a parsed YAML tree; collects diagnostics instead of stopping at the first.
struct ConfigChecker {
    let file: String
    let registry: PluginRegistry
    let environment: [String: String]
    let baseDirectory: URL
    private(set) var diagnostics: [ConfigDiagnostic] = []

    init(file: String, registry: PluginRegistry, environment: [String: String], baseDirectory: URL) {
        self.file = file
        self.registry = registry
        self.environment = environment
        self.baseDirectory = baseDirectory
    }

    mutating func report(_ node: Node?, _ message: String, hint: String? = nil) {
        let position = node?.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
        diagnostics.append(ConfigDiagnostic(file: file, position: position, message: message, hint: hint))
    }

    // MARK: Shapes

    /// The pairs of a mapping node; reports duplicate keys at their second occurrence.
    mutating func mapping(_ node: Node, what: String) -> [(Node, Node)]? {
        guard case .mapping(let mapping) = node else {
            report(node, "\(what) must be a mapping of 'key: value' lines, not \(describe(node))")
            return nil
        }
        var seen: [String: Node] = [:]
        var pairs: [(Node, Node)] = []
        for (key, value) in mapping {
            if let name = key.string, let first = seen[name] {
                let at = first.mark.map { " (first at line \($0.line))" } ?? ""
                report(key, "duplicate key '\(name)' in \(what)\(at)", hint: "remove one of them")
                continue
            }
            if let name = key.string { seen[name] = key }
            pairs.append((key, value))
        }
        return pairs
    }

    /// Reports keys outside `allowed`, suggesting the closest one.
    mutating func checkKeys(_ pairs: [(Node, Node)], allowed: [String], in what: String) {
        for (key, _) in pairs {
            guard let name = key.string, !allowed.contains(name) else { continue }
            report(key, "unknown key '\(name)' in \(what)", hint: Suggestion.hint(for: name, among: allowed))
        }
    }

    mutating func name(_ key: Node, what: String) -> String? {
        guard case .scalar(let scalar) = key, !scalar.string.isEmpty else {
            report(key, "\(what) must be a plain word")
            return nil
        }
        let name = scalar.string
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-"))
        guard name.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
            report(key, "\(what) '\(name)' may hold only letters, digits, '-' and '_'")
            return nil
        }
        return name
    }

    /// A scalar as text, with `${VAR}` expanded.
    mutating func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, "\(what) must be a single value, not \(describe(node))")
            return nil
        }
        return expand(scalar.string, at: node)
    }

    mutating func strings(_ node: Node, what: String) -> [(String, Node)]? {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            report(node, "\(what) must be a list like [a, b], not \(describe(node))")
            return nil
        }
        var result: [(String, Node)] = []
        for item in sequence {
            if let text = string(item, what: "an item of \(what)") { result.append((text, item)) }
        }
        return result
    }

    /// Expands `${VAR}`; `$$` is a literal `$`.
    mutating func expand(_ text: String, at node: Node) -> String? {
        guard text.contains("$") else { return text }
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("$") {
                output += "$"
                rest = after.dropFirst()
            } else if after.hasPrefix("{"), let close = after.firstIndex(of: "}") {
                let name = String(after[after.index(after: after.startIndex)..<close])
                guard let value = environment[name] else {
                    report(node, "environment variable '\(name)' is not set", hint: "export \(name)=… before running cadang")
                    return nil
                }
                output += value
                rest = after[after.index(after: close)...]
            } else {
                output += "$"
                rest = after
            }
        }
        return output + rest
    }

    func resolve(_ path: String) -> URL {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath, relativeTo: baseDirectory).standardizedFileURL
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "the value '\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        @unknown default: "this"
        }
    }

    // MARK: Components

    mutating func component(kind: PluginKind, name: String, key nameNode: Node, node: Node) -> Config.Component? {
        let what = "\(kind.rawValue) '\(name)'"
        guard let pairs = mapping(node, what: what) else { return nil }
        guard let pluginNode = pairs.value(for: "plugin") else {
            report(nameNode, "\(what) has no 'plugin:' key",
                   hint: "name one of: \(registry.names(of: kind).joined(separator: ", "))")
            return nil
        }
        guard let pluginName = string(pluginNode, what: "plugin") else { return nil }
        guard let plugin = registry.plugin(kind, named: pluginName) else {
            let other = PluginKind.allCases.first { $0 != kind && registry.plugin($0, named: pluginName) != nil }
            if let other {
                report(pluginNode, "'\(pluginName)' is a \(other.rawValue) plugin and cannot be used as a \(kind.rawValue)",
                       hint: "declare it under '\(other.section):'")
            } else {
                let known = registry.names(of: kind)
                report(pluginNode, "unknown \(kind.rawValue) plugin '\(pluginName)'",
                       hint: Suggestion.hint(for: pluginName, among: known) ?? "known \(kind.rawValue) plugins: \(known.joined(separator: ", "))")
            }
            return nil
        }
        let descriptor = plugin.descriptor
        var values: [String: OptionValue] = [:]
        let before = diagnostics.count
        for (key, value) in pairs {
            guard let option = key.string, option != "plugin" else { continue }
            guard let spec = descriptor.option(named: option) else {
                report(key, "unknown option '\(option)' for \(what) (\(descriptor.name))",
                       hint: Suggestion.hint(for: option, among: descriptor.options.map(\.name))
                           ?? "options of \(descriptor.name): \(descriptor.options.map(\.name).joined(separator: ", "))")
                continue
            }
            if let converted = optionValue(value, spec: spec, what: "option '\(option)' of \(what)") {
                values[option] = converted
            }
        }
        let present = Set(pairs.compactMap { $0.0.string })
        for spec in descriptor.options where spec.isRequired && !present.contains(spec.name) {
            report(nameNode, "\(what) (\(descriptor.name)) needs the option '\(spec.name)'", hint: spec.doc)
        }
        guard diagnostics.count == before else { return nil }
        let position = node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
        return Config.Component(kind: kind, name: name, plugin: plugin,
                                options: PluginOptions(values, defaults: descriptor.options), position: position)
    }

    mutating func optionValue(_ node: Node, spec: OptionSpec, what: String) -> OptionValue? {
        func wrongType(_ expected: String) -> OptionValue? {
            report(node, "\(what) must be \(expected)", hint: spec.doc)
            return nil
        }
        switch spec.type {
        case .stringList:
            return strings(node, what: what).map { .list($0.map(\.0)) }
        case .stringMap:
            guard let pairs = mapping(node, what: what) else { return nil }
            var map: [String: String] = [:]
            for (key, value) in pairs {
                guard let k = string(key, what: "a key of \(what)"), let v = string(value, what: "a value of \(what)") else { continue }
                map[k] = v
            }
            return .map(map)
        default:
            break
        }
        guard case .scalar = node else { return wrongType("a single value, not a list or mapping") }
        guard let text = string(node, what: what) else { return nil }
        // A secret's value never appears in messages.
        let shown = spec.isSecret ? "the given value" : "'\(text)'"
        switch spec.type {
        case .string:
            return .string(text)
        case .path:
            return text.isEmpty ? wrongType("a non-empty path") : .string(text)
        case .integer:
            guard let value = Int64(text) else { return wrongType("a whole number, not \(shown)") }
            return .integer(value)
        case .number:
            guard let value = Double(text), value.isFinite else { return wrongType("a number, not \(shown)") }
            return .number(value)
        case .boolean:
            switch text.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: return wrongType("true or false, not \(shown)")
            }
        case .duration:
            guard let seconds = DurationText.parse(text) else { return wrongType("a duration such as 30s, 5m, 2h or 7d, not \(shown)") }
            return .duration(seconds)
        case .choice(let words):
            guard words.contains(text) else {
                report(node, "\(what) must be one of \(words.joined(separator: ", ")), not \(shown)",
                       hint: Suggestion.hint(for: text, among: words) ?? spec.doc)
                return nil
            }
            return .string(text)
        case .stringList, .stringMap:
            return nil
        }
    }

    // MARK: Jobs

    /// Checks a job. `components` are the valid components by kind and name, for rules about
    /// which plugins a job combines.
    mutating func job(name: String, key nameNode: Node, node: Node, declared: [PluginKind: [String]],
                      components: [PluginKind: [String: Config.Component]] = [:]) -> Config.JobDefinition? {
        let what = "job '\(name)'"
        guard let pairs = mapping(node, what: what) else { return nil }
        checkKeys(pairs, allowed: ["description", "sources", "sinks", "policies"], in: what)
        func value(_ key: String) -> Node? { pairs.value(for: key) }
        let before = diagnostics.count

        var sources: [Config.SourceReference] = []
        if let list = value("sources").flatMap({ strings($0, what: "the sources of \(what)") }) {
            for (text, item) in list {
                let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
                let reference = Config.SourceReference(source: parts[0], dataset: parts.count > 1 ? parts[1] : nil)
                if declared[.source, default: []].contains(reference.source) {
                    sources.append(reference)
                } else {
                    reportMissing(.source, reference.source, at: item, job: name, declared: declared)
                }
            }
        }
        if value("sources") == nil || (sources.isEmpty && diagnostics.count == before) {
            report(nameNode, "\(what) has no sources", hint: "add 'sources: [name]' naming an entry of 'sources:'")
        }
        var references: [PluginKind: [String]] = [:]
        for kind in [PluginKind.sink, .policy] {
            guard let list = value(kind.section).flatMap({ strings($0, what: "the \(kind.section) of \(what)") }) else { continue }
            var firstOfPlugin: [String: String] = [:]
            for (text, item) in list {
                if declared[kind, default: []].contains(text) {
                    references[kind, default: []].append(text)
                } else {
                    reportMissing(kind, text, at: item, job: name, declared: declared)
                }
                guard let plugin = components[kind]?[text]?.plugin.descriptor, plugin.onePerJob else { continue }
                if let first = firstOfPlugin[plugin.name] {
                    report(item, "\(what) lists two \(plugin.name) \(kind.section), '\(first)' and '\(text)'; a job may have only one",
                           hint: "merge their rules into one \(plugin.name) \(kind.rawValue)")
                } else {
                    firstOfPlugin[plugin.name] = text
                }
            }
        }
        let description = value("description").flatMap { string($0, what: "description") }
        guard diagnostics.count == before else { return nil }
        let position = node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
        return Config.JobDefinition(name: name, description: description, sources: sources,
                                    sinks: references[.sink] ?? [], policies: references[.policy] ?? [], position: position)
    }

    private mutating func reportMissing(_ kind: PluginKind, _ name: String, at node: Node, job: String, declared: [PluginKind: [String]]) {
        let known = declared[kind, default: []]
        report(node, "job '\(job)' uses \(kind.rawValue) '\(name)', which is not defined under '\(kind.section):'",
               hint: Suggestion.hint(for: name, among: known) ?? (known.isEmpty ? "define it under '\(kind.section):'" : "defined: \(known.joined(separator: ", "))"))
    }
}
