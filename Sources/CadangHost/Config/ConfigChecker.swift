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
    /// Problems a plugin's own rules found; they make `config check` fail and the components they
    /// are about unusable, but do not stop commands that use other components.
    private(set) var ruleProblems: [ConfigDiagnostic] = []

    init(file: String, registry: PluginRegistry, environment: [String: String], baseDirectory: URL) {
        self.file = file
        self.registry = registry
        self.environment = environment
        self.baseDirectory = baseDirectory
    }

    mutating func report(_ node: Node?, _ message: String, hint: String? = nil) {
        report(at: node?.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start, message, hint: hint)
    }

    mutating func report(at position: SourcePosition, _ message: String, hint: String? = nil) {
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

    mutating func component(kind: PluginKind, name: String, key nameNode: Node, node: Node, hostKeys: [String] = []) -> Config.Component? {
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
        guard let values = options(pairs, specs: descriptor.options, what: what, optionsOf: "\(what) (\(descriptor.name))",
                                   skipping: Set(["plugin"] + hostKeys), requiredAt: nameNode) else { return nil }
        let options = PluginOptions(values, defaults: descriptor.options)
        let before = diagnostics.count
        report(plugin.type.check(options), pairs: pairs, at: nameNode, what: what)
        let problems = Array(diagnostics[before...])
        diagnostics.removeSubrange(before...)
        ruleProblems += problems
        let position = node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
        var optionPositions: [String: SourcePosition] = [:]
        for (key, value) in pairs {
            guard let option = key.string, let mark = value.mark else { continue }
            optionPositions[option] = SourcePosition(line: mark.line, column: mark.column)
        }
        return Config.Component(kind: kind, name: name, plugin: plugin, options: options, position: position, problems: problems,
                                optionPositions: optionPositions)
    }

    mutating func optionValue(_ node: Node, spec: OptionSpec, what: String) -> OptionValue? {
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
        case .group(let specs):
            guard let pairs = mapping(node, what: what) else { return nil }
            let values = options(pairs, specs: specs, what: what, optionsOf: what)
            return values.map { .group($0) }
        default:
            break
        }
        guard case .scalar = node else {
            report(node, "\(what) must be a single value, not a list or mapping", hint: spec.doc)
            return nil
        }
        guard let text = string(node, what: what) else { return nil }
        switch spec.value(of: text) {
        case .success(let value):
            return value
        case .failure(let problem):
            var hint = problem.fix
            if case .choice(let words) = spec.type { hint = Suggestion.hint(for: text, among: words) ?? spec.doc }
            report(node, "\(what) \(problem.message)", hint: hint)
            return nil
        }
    }

    /// The values of `pairs` checked against `specs`: unknown keys, types and required options
    /// reported; `nil` when anything was wrong.
    mutating func options(_ pairs: [(Node, Node)], specs: [OptionSpec], what: String, optionsOf owner: String,
                          skipping ignored: Set<String> = [], requiredAt: Node? = nil) -> [String: OptionValue]? {
        let before = diagnostics.count
        var values: [String: OptionValue] = [:]
        for (key, value) in pairs {
            guard let option = key.string, !ignored.contains(option) else { continue }
            guard let spec = specs.first(where: { $0.name == option }) else {
                report(key, "unknown option '\(option)' for \(owner)",
                       hint: Suggestion.hint(for: option, among: specs.map(\.name) + ignored.sorted())
                           ?? "options: \((specs.map(\.name) + ignored.subtracting(["plugin"]).sorted()).joined(separator: ", "))")
                continue
            }
            if let converted = optionValue(value, spec: spec, what: "option '\(option)' of \(what)") {
                values[option] = converted
            }
        }
        let present = Set(pairs.compactMap { $0.0.string })
        for spec in specs where spec.isRequired && !present.contains(spec.name) {
            report(requiredAt ?? pairs.first?.0, "\(owner) needs the option '\(spec.name)'", hint: spec.doc)
        }
        return diagnostics.count == before ? values : nil
    }

    /// Reports the problems a plugin's own rules find, each at the option it names.
    mutating func report(_ problems: [OptionProblem], pairs: [(Node, Node)], at component: Node, what: String) {
        for problem in problems {
            var node: Node? = component
            if let option = problem.option {
                // `records.older_than` names an option inside a group.
                var scope = pairs
                for part in option.split(separator: ".").map(String.init) {
                    guard let found = scope.first(where: { $0.0.string == part }) else { break }
                    node = found.0
                    guard case .mapping(let inner) = found.1 else { break }
                    scope = Array(inner)
                }
            }
            let subject = problem.option.map { "option '\($0)' of \(what)" } ?? what
            report(node, "\(subject) \(problem.message)", hint: problem.fix)
        }
    }

    // MARK: Jobs

    /// Checks a job. `components` are the valid components by kind and name, for rules about
    /// which plugins a job combines.
    mutating func job(name: String, key nameNode: Node, node: Node, declared: [PluginKind: [String]],
                      components: [PluginKind: [String: Config.Component]] = [:]) -> Config.JobDefinition? {
        let what = "job '\(name)'"
        guard let pairs = mapping(node, what: what) else { return nil }
        checkKeys(pairs, allowed: ConfigLoader.jobKeys, in: what)
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
        var sinkItems: [(String, Node)] = []
        for kind in [PluginKind.sink, .policy] {
            guard let list = value(kind.section).flatMap({ strings($0, what: "the \(kind.section) of \(what)") }) else { continue }
            if kind == .sink { sinkItems = list }
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
        checkCopiedArchives(job: name, sinks: sinkItems, components: components[.sink] ?? [:])
        let description = value("description").flatMap { string($0, what: "description") }
        let hooks = value("hooks").map { HookDefinition.parseList($0, check: &self, what: "the hooks of \(what)") } ?? []
        let schedule = value("schedule").flatMap { isNull($0) ? nil : self.schedule($0, job: name) }
        guard diagnostics.count == before else { return nil }
        let position = node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
        return Config.JobDefinition(name: name, description: description, sources: sources,
                                    sinks: references[.sink] ?? [], policies: references[.policy] ?? [], position: position,
                                    hooks: hooks, schedule: schedule)
    }

    // MARK: Archive copies

    /// A copying sink's upstream option must name a declared sink that makes archives (checked
    /// here, once every component is known, rather than when building the job).
    mutating func checkArchiveUpstreams(_ components: [Config.Component], declared: [String]) {
        let sinks = Dictionary(components.filter { $0.kind == .sink }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let makers = components.filter { Self.makesArchives($0) }.map(\.name)
        let makerPlugins = registry.plugins.filter { if case .sink(let type) = $0 { type is any ArchiveMaking.Type } else { false } }
            .map(\.descriptor.name)
        for component in components {
            guard case .sink(let type) = component.plugin, let copier = type as? any ArchiveCopying.Type,
                  let upstream = component.options.string(copier.upstreamOption) else { continue }
            let option = copier.upstreamOption
            let at = component.optionPositions[option] ?? component.position
            let subject = "option '\(option)' of sink '\(component.name)'"
            let choices = makers.isEmpty
                ? "define a sink that makes archives (plugin \(makerPlugins.joined(separator: " or "))) and name it here"
                : "name a sink that makes archives: \(makers.joined(separator: ", "))"
            guard declared.contains(upstream) else {
                report(at: at, "\(subject) names '\(upstream)', which is not defined under 'sinks:'",
                       hint: Suggestion.hint(for: upstream, among: makers) ?? choices)
                continue
            }
            // A declared sink that is not among the components is broken itself and reported already.
            guard let target = sinks[upstream] else { continue }
            if !Self.makesArchives(target) {
                report(at: at, "\(subject) names sink '\(upstream)' (\(target.plugin.descriptor.name)), which makes no archives", hint: choices)
            }
        }
    }

    /// Every copying sink a job lists must have its upstream sink in the same job.
    private mutating func checkCopiedArchives(job: String, sinks items: [(String, Node)], components: [String: Config.Component]) {
        let listed = Set(items.map(\.0))
        for (name, item) in items {
            guard let component = components[name], case .sink(let type) = component.plugin,
                  let copier = type as? any ArchiveCopying.Type,
                  let upstream = component.options.string(copier.upstreamOption), !listed.contains(upstream) else { continue }
            report(item, "job '\(job)' lists sink '\(name)', which copies the archives of sink '\(upstream)', but not '\(upstream)' itself",
                   hint: "add '\(upstream)' to the job's sinks, or change the option '\(copier.upstreamOption)' of sink '\(name)'")
        }
    }

    private static func makesArchives(_ component: Config.Component) -> Bool {
        guard case .sink(let type) = component.plugin else { return false }
        return type is any ArchiveMaking.Type
    }

    private mutating func reportMissing(_ kind: PluginKind, _ name: String, at node: Node, job: String, declared: [PluginKind: [String]]) {
        let known = declared[kind, default: []]
        report(node, "job '\(job)' uses \(kind.rawValue) '\(name)', which is not defined under '\(kind.section):'",
               hint: Suggestion.hint(for: name, among: known) ?? (known.isEmpty ? "define it under '\(kind.section):'" : "defined: \(known.joined(separator: ", "))"))
    }
}
