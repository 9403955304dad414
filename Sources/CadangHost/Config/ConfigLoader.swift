import CadangCore
import Foundation
import Yams

/// Reads a YAML config, checks it against the plugins' declarations, and reports every problem at
/// once with its file, line and column.
public struct ConfigLoader {
    /// The plugins names are resolved against.
    public var registry: PluginRegistry
    /// Environment for `${VAR}` expansion.
    public var environment: [String: String]

    /// Creates a loader.
    public init(registry: PluginRegistry, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.registry = registry
        self.environment = environment
    }

    private static let topLevelKeys = ["repository", "sources", "sinks", "policies", "jobs", "hooks", "monitors", "serve"]
    /// The keys a job may hold (the checker reports any other).
    static let jobKeys = ["description", "sources", "sinks", "policies", "hooks", "schedule"]

    /// Loads `path` (as the user wrote it; used in messages).
    public func load(path: String) throws -> Config {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ConfigError([ConfigDiagnostic(file: path, position: .start, message: "config file not found",
                                                hint: "create it (see Docs/configuration.md), run from the folder that holds it, or pass --config FILE")])
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigError([ConfigDiagnostic(file: path, position: .start, message: "cannot read the config file",
                                                hint: "check its permissions")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError([ConfigDiagnostic(file: path, position: .start, message: "the config file is not UTF-8 text",
                                                hint: "save it as UTF-8")])
        }
        return try parse(text, file: path, url: url)
    }

    /// Parses config text; `file` names it in messages, `url` anchors relative paths.
    public func parse(_ text: String, file: String, url: URL) throws -> Config {
        var check = ConfigChecker(file: file, registry: registry, environment: environment, baseDirectory: url.deletingLastPathComponent())
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError([YAMLSyntax.diagnostic(for: error, file: file, text: text)])
        }
        guard let root, !isNull(root) else {
            throw ConfigError([ConfigDiagnostic(file: file, position: .start, message: "the config is empty",
                                                hint: "it needs at least 'sources:' and 'jobs:' (see Docs/configuration.md)")])
        }
        guard let top = check.mapping(root, what: "the config") else { throw ConfigError(check.diagnostics) }
        check.checkKeys(top, allowed: Self.topLevelKeys, in: "the config")

        var repository = url.deletingLastPathComponent().appendingPathComponent("backups")
        if let node = top.value(for: "repository"), let raw = check.string(node, what: "repository") {
            repository = check.resolve(raw)
        }

        var components: [Config.Component] = []
        // Names declared, valid or not, so a job naming a broken component is not reported twice.
        var declared: [PluginKind: [String]] = [:]
        for kind in PluginKind.allCases where kind != .monitor {
            guard let section = top.value(for: kind.section) else { continue }
            if isNull(section) { continue }
            guard let entries = check.mapping(section, what: "'\(kind.section)'") else { continue }
            for (key, value) in entries {
                guard let name = check.name(key, what: "\(kind.rawValue) name") else { continue }
                declared[kind, default: []].append(name)
                if let component = check.component(kind: kind, name: name, key: key, node: value) { components.append(component) }
            }
        }

        check.checkArchiveUpstreams(components, declared: declared[.sink] ?? [])
        let byName = Dictionary(grouping: components, by: \.kind)
            .mapValues { Dictionary($0.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }) }
        var jobs: [Config.JobDefinition] = []
        if let section = top.value(for: "jobs"), !isNull(section), let entries = check.mapping(section, what: "'jobs'") {
            for (key, value) in entries {
                guard let name = check.name(key, what: "job name") else { continue }
                if name == Restorer.beforeRestoreJob {
                    check.report(key, "the job name '\(name)' is reserved for the sets a restore saves first",
                                 hint: "rename the job")
                    continue
                }
                if let job = check.job(name: name, key: key, node: value, declared: declared, components: byName) { jobs.append(job) }
            }
        }
        let hooks = top.value(for: "hooks").map { HookDefinition.parseList($0, check: &check, what: "'hooks'") } ?? []
        let monitors = top.value(for: "monitors").map { MonitorDefinition.parseList($0, check: &check) } ?? []
        if jobs.isEmpty && check.diagnostics.isEmpty && check.ruleProblems.isEmpty {
            check.report(root, "the config defines no jobs", hint: "add a 'jobs:' section, e.g. 'auto: { sources: [kasir] }'")
        }
        // Rule problems are reported with the rest when the config is broken anyway.
        guard check.diagnostics.isEmpty else { throw ConfigError(check.diagnostics + check.ruleProblems) }
        var config = Config(file: url, repository: repository, components: components, jobs: jobs, hooks: hooks, monitors: monitors)
        if let section = top.value(for: "serve"), !isNull(section) {
            var serveCheck = ConfigChecker(file: file, registry: registry, environment: environment, baseDirectory: url.deletingLastPathComponent())
            config.serve = ServeSettings.parse(section, check: &serveCheck)
            config.serveProblems = serveCheck.diagnostics
        }
        return config
    }
}

func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
}

extension PluginKind {
    /// The config section that declares components of this kind.
    var section: String {
        switch self {
        case .source: "sources"
        case .sink: "sinks"
        case .policy: "policies"
        case .monitor: "monitors"
        }
    }
}

extension Array where Element == (Node, Node) {
    /// The value of the first pair whose key is `key`.
    func value(for key: String) -> Node? {
        first { $0.0.string == key }?.1
    }
}
