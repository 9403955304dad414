import CadangCore
import Foundation
import Logging

/// Builds a job's plugin instances from the config.
struct JobBuilder {
    let config: Config
    let logger: Logger

    /// An instance of one configured source.
    func makeSource(_ component: Config.Component) throws -> any Source {
        guard case .source(let type) = component.plugin else {
            throw CadangError(.usage, "'\(component.name)' is not a source")
        }
        return try type.init(configuration: PluginConfiguration(name: component.name, options: component.options,
                                                                baseDirectory: config.baseDirectory, logger: logger))
    }

    /// Instances of a job's sinks (for questions about sets already written, e.g. their copies).
    func makeSinks(of definition: Config.JobDefinition) throws -> [Job.Binding<any Sink>] {
        try definition.sinks.compactMap { name in
            guard let component = config.component(.sink, name), case .sink(let type) = component.plugin else { return nil }
            return Job.Binding(name: name, component: try type.init(configuration: PluginConfiguration(
                name: name, options: component.options, baseDirectory: config.baseDirectory, logger: logger)))
        }
    }

    func build(_ definition: Config.JobDefinition) throws -> Job {
        func configuration(_ component: Config.Component) -> PluginConfiguration {
            PluginConfiguration(name: component.name, options: component.options, baseDirectory: config.baseDirectory, logger: logger)
        }
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
            guard case .source(let type) = component.plugin else { continue }
            sources.append(Job.SourceBinding(name: component.name, source: try type.init(configuration: configuration(component)),
                                             datasets: reference.dataset.map { [$0] }))
        }
        var sinks: [Job.Binding<any Sink>] = []
        for name in definition.sinks {
            let component = try lookup(.sink, name)
            guard case .sink(let type) = component.plugin else { continue }
            sinks.append(Job.Binding(name: name, component: try type.init(configuration: configuration(component))))
        }
        var policies: [Job.Binding<any Policy>] = []
        for name in definition.policies {
            let component = try lookup(.policy, name)
            guard case .policy(let type) = component.plugin else { continue }
            policies.append(Job.Binding(name: name, component: try type.init(configuration: configuration(component))))
        }
        return Job(name: definition.name, sources: sources, sinks: sinks, policies: policies)
    }
}
