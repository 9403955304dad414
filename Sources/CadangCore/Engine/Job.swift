/// A named composition from the config: sources → policies → sinks, with plugin instances built.
public struct Job {
    /// A source in a job, optionally narrowed to some datasets (`kasir.produk`).
    public struct SourceBinding {
        /// Instance name in the config.
        public var name: String
        /// The source.
        public var source: any Source
        /// Datasets wanted, or `nil` for all.
        public var datasets: Set<String>?

        /// Creates a binding.
        public init(name: String, source: any Source, datasets: Set<String>?) {
            self.name = name
            self.source = source
            self.datasets = datasets
        }
    }

    /// A sink or policy in a job, with its instance name.
    public struct Binding<Component> {
        /// Instance name in the config.
        public var name: String
        /// The component.
        public var component: Component

        /// Creates a binding.
        public init(name: String, component: Component) {
            self.name = name
            self.component = component
        }
    }

    /// Job name.
    public var name: String
    /// Sources, in config order.
    public var sources: [SourceBinding]
    /// Sinks, in config order.
    public var sinks: [Binding<any Sink>]
    /// Policies, in config order.
    public var policies: [Binding<any Policy>]

    /// Creates a job.
    public init(name: String, sources: [SourceBinding], sinks: [Binding<any Sink>], policies: [Binding<any Policy>]) {
        self.name = name
        self.sources = sources
        self.sinks = sinks
        self.policies = policies
    }
}
