import CadangCore
import Foundation
import Logging
import SQLiteSupport

/// `kasir-sqlite`: the kasir app's database — one consistent snapshot, then the seed-compatible
/// exports and every other table, all read from that snapshot.
public struct KasirSource: Source {
    public static let descriptor = PluginDescriptor(
        kind: .source, name: "kasir-sqlite",
        summary: "Snapshots the kasir app's SQLite database and exports produk, transaksi, transaksi_item and every other table from that snapshot.",
        options: [
            OptionSpec("database", .path, required: true, doc: "The app's database file, e.g. instance/kasir.db."),
            OptionSpec("busy_timeout", .duration, default: .duration(10),
                       doc: "How long to wait while the app holds a write lock before giving up."),
            OptionSpec("datasets", .stringList,
                       doc: "Datasets to emit (default: all): database, produk, transaksi, transaksi_item, or any table name."),
        ],
        operations: operations)

    let database: URL
    let busyTimeout: Double
    let datasets: Set<String>?
    let logger: Logger

    public init(configuration: PluginConfiguration) throws {
        logger = configuration.logger
        guard let database = configuration.path("database") else {
            // The config check reports a missing required option before any source is built.
            throw CadangError(.usage, "source '\(configuration.name)' needs the option 'database'")
        }
        self.database = database
        busyTimeout = configuration.options.duration("busy_timeout") ?? 10
        datasets = configuration.options.list("datasets").map(Set.init)
    }

    public func open(_ request: SourceRequest) throws -> any SourceSnapshot {
        var request = request
        if let datasets {
            request.datasets = request.datasets.map { $0.intersection(datasets) } ?? datasets
        }
        return try KasirSnapshot(database: database, busyTimeout: busyTimeout, request: request, logger: logger)
    }
}

extension KasirSource: ArtifactChecking {
    public static let checkedFormats = ["sqlite"]

    public static func problems(of url: URL, format: String) -> [String] {
        SQLiteFileCheck.problems(of: url)
    }
}
