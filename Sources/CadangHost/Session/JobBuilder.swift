import CadangCore
import Foundation
import Logging

/// Builds a job's plugin instances from the config. A plugin's initialiser that throws anything but
/// a `CadangError` is reported as one line naming the component.
struct JobBuilder {
    let config: Config
    let logger: Logger

    private func configuration(_ component: Config.Component) -> PluginConfiguration {
        PluginConfiguration(name: component.name, options: component.options, baseDirectory: config.baseDirectory, logger: logger)
    }

    /// Builds a component whose options passed its plugin's rules; else its problems, as config check prints them.
    private func checked<T>(_ component: Config.Component, _ build: () throws -> T) throws -> T {
        guard component.problems.isEmpty else { throw ConfigError(component.problems) }
        return try ErrorReport.attributed(to: what(component), build)
    }

    private func what(_ component: Config.Component) -> String {
        "\(component.kind.rawValue) '\(component.name)' (\(component.plugin.descriptor.name))"
    }

    /// An instance of one configured source.
    func makeSource(_ component: Config.Component) throws -> any Source {
        guard case .source(let type) = component.plugin else {
            throw CadangError(.usage, "'\(component.name)' is not a source")
        }
        return try checked(component) { try type.init(configuration: configuration(component)) }
    }

    /// An instance of one configured sink.
    func makeSink(_ component: Config.Component) throws -> any Sink {
        guard case .sink(let type) = component.plugin else {
            throw CadangError(.usage, "'\(component.name)' is not a sink")
        }
        return try checked(component) { try type.init(configuration: configuration(component)) }
    }

    /// An instance of one configured policy.
    func makePolicy(_ component: Config.Component) throws -> any Policy {
        guard case .policy(let type) = component.plugin else {
            throw CadangError(.usage, "'\(component.name)' is not a policy")
        }
        return try checked(component) { try type.init(configuration: configuration(component)) }
    }

    /// Instances of a job's sinks (for questions about sets already written, e.g. their copies).
    func makeSinks(of definition: Config.JobDefinition) throws -> [Job.Binding<any Sink>] {
        try definition.sinks.compactMap { name in
            guard let component = config.component(.sink, name) else { return nil }
            return Job.Binding(name: name, component: try makeSink(component))
        }
    }

    func build(_ definition: Config.JobDefinition) throws -> Job {
        func lookup(_ kind: PluginKind, _ name: String) throws -> Config.Component {
            guard let component = config.component(kind, name) else {
                throw CadangError(.usage, "job '\(definition.name)' uses undefined \(kind.rawValue) '\(name)'")
            }
            return component
        }

        var sources: [Job.SourceBinding] = []
        for reference in definition.sources {
            if let index = sources.firstIndex(where: { $0.name == reference.source }) {
                // `kasir.produk` and `kasir.transaksi` in one job read one snapshot of `kasir`.
                if let dataset = reference.dataset, sources[index].datasets != nil {
                    sources[index].datasets?.insert(dataset)
                } else {
                    sources[index].datasets = nil
                }
                continue
            }
            let component = try lookup(.source, reference.source)
            sources.append(Job.SourceBinding(name: component.name, source: try makeSource(component),
                                             datasets: reference.dataset.map { [$0] }))
        }
        let sinks = try definition.sinks.map { Job.Binding(name: $0, component: try makeSink(try lookup(.sink, $0))) }
        let policies = try definition.policies.map { Job.Binding(name: $0, component: try makePolicy(try lookup(.policy, $0))) }
        return Job(name: definition.name, sources: sources, sinks: sinks, policies: policies)
    }
}
