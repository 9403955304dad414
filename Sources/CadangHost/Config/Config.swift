import CadangCore
import Foundation

/// A validated config file: where the repository is, the configured components, and the jobs.
public struct Config {
    /// One configured source, sink or policy.
    public struct Component {
        /// Role.
        public var kind: PluginKind
        /// Instance name (the key under `sources:`, `sinks:` or `policies:`).
        public var name: String
        /// The registered plugin type.
        public var plugin: PluginType
        /// Validated options, defaults filled.
        public var options: PluginOptions
        /// Where it is declared.
        public var position: SourcePosition
        /// What its plugin's rules found wrong with its options; it cannot be built while any remain.
        public var problems: [ConfigDiagnostic] = []
        /// Where each option's value is, for rules checked once every component is known.
        public var optionPositions: [String: SourcePosition] = [:]
    }

    /// A source reference in a job: `kasir` or `kasir.produk`.
    public struct SourceReference: Equatable {
        /// Source instance name.
        public var source: String
        /// One dataset, or `nil` for all.
        public var dataset: String?
    }

    /// One job.
    public struct JobDefinition {
        /// Job name.
        public var name: String
        /// Optional description.
        public var description: String?
        /// Sources with optional datasets.
        public var sources: [SourceReference]
        /// Sink instance names.
        public var sinks: [String]
        /// Policy instance names.
        public var policies: [String]
        /// Where it is declared.
        public var position: SourcePosition
        /// Its own hooks, run after the config's top-level ones.
        public var hooks: [HookDefinition] = []
        /// When it runs by itself (`schedule:`), if it says.
        public var schedule: Schedule? = nil

        /// Whether a component it uses has problems (then building it only repeats them).
        func uses(problems config: Config) -> Bool {
            let named = sources.map { (PluginKind.source, $0.source) } + sinks.map { (.sink, $0) } + policies.map { (.policy, $0) }
            return named.contains { config.component($0.0, $0.1)?.problems.isEmpty == false }
        }
    }

    /// The config file.
    public var file: URL
    /// The repository folder.
    public var repository: URL
    /// Components by kind, in file order.
    public var components: [Component]
    /// Jobs in file order.
    public var jobs: [JobDefinition]
    /// Hooks run around every job.
    public var hooks: [HookDefinition] = []
    /// Monitors told about every job.
    public var monitors: [MonitorDefinition] = []
    /// The `serve:` section, when the config has one.
    public var serve: ServeSettings?
    /// What is wrong with the `serve:` section: it stops `cadang serve` only.
    public var serveProblems: [ConfigDiagnostic] = []

    /// Every problem the plugins' own rules and the `serve:` section have (`config check` reports them all).
    public var problems: [ConfigDiagnostic] { components.flatMap(\.problems) + monitors.flatMap(\.component.problems) + serveProblems }

    /// The component of `kind` named `name`.
    public func component(_ kind: PluginKind, _ name: String) -> Component? {
        components.first { $0.kind == kind && $0.name == name }
    }

    /// The job named `name`.
    public func job(named name: String) -> JobDefinition? {
        jobs.first { $0.name == name }
    }

    /// The folder relative paths in the config start from.
    public var baseDirectory: URL { file.deletingLastPathComponent() }
}
