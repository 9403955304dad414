import CadangCore
import Foundation
import Logging

/// Finds the copies a set's job's sinks made elsewhere (e.g. `targz` archives on a drive).
public final class ArchivedCopies {
    /// One copy: the sink that made it and where it is.
    public struct Copy: Encodable, Sendable {
        public var sink: String
        public var path: String
    }

    private let config: Config
    private let builder: JobBuilder
    private var sinksByJob: [String: [Job.Binding<any Sink>]] = [:]

    init(config: Config, logger: Logger) {
        self.config = config
        builder = JobBuilder(config: config, logger: logger)
    }

    /// Copies of `set` made by the sinks its job has now (none when the job is gone from the config).
    func of(_ set: BackupSet) -> [Copy] {
        let sinks: [Job.Binding<any Sink>]
        if let known = sinksByJob[set.job] {
            sinks = known
        } else {
            sinks = config.job(named: set.job).flatMap { try? builder.makeSinks(of: $0) } ?? []
            sinksByJob[set.job] = sinks
        }
        return Self.made(by: sinks, of: set)
    }

    /// Copies of `set` that these sinks made.
    static func made(by sinks: [Job.Binding<any Sink>], of set: BackupSet) -> [Copy] {
        sinks.flatMap { sink in sink.component.archivedCopies(of: set).map { Copy(sink: sink.name, path: $0.path) } }
    }
}
