import CadangCore
import Foundation

/// Drives sinks into real sets in real repositories under a scratch folder: `export` calls a
/// table sink directly, batch by batch as the engine does, for format tests; `run` runs a real
/// job through the real `RunEngine` with the kit's source, for the conformance round trip.
public struct SinkHarness {
    /// What one export produced.
    public struct Export {
        /// The artifact file.
        public var url: URL
        /// Its bytes.
        public var bytes: [UInt8]
        /// Warnings raised while writing.
        public var warnings: [String]
        /// The manifest entry (size, rows, SHA-256).
        public var artifact: Artifact
    }

    /// A scratch folder the harness creates repositories in (the caller removes it).
    public let root: URL

    /// A harness writing under `root`.
    public init(root: URL) {
        self.root = root
    }

    /// Builds a sink of type `S` from options, as the config loader would (declared defaults filled).
    public func makeSink<S: Sink>(_ type: S.Type, options: [String: OptionValue] = [:]) throws -> S {
        try S(configuration: PluginConfiguration(name: S.descriptor.name,
                                                 options: PluginOptions(options, defaults: S.descriptor.options),
                                                 baseDirectory: root))
    }

    /// Writes `batches` (each a list of rows) of a table with `columns` through `sink`.
    public func export(_ sink: any Sink, columns: [Column], batches: [[[TestValue]]]) throws -> Export {
        let ext = sink.fileExtension ?? "out"
        let path = "x." + ext
        try FileSystem.makeDirectory(root)
        let repository = Repository(url: root.appendingPathComponent(UUID().uuidString, isDirectory: true))
        try repository.prepare()
        let staged = try repository.beginSet(job: "t", time: Date())
        let artifact = try staged.createArtifact(path: path, dataset: "x", format: ext)
        let warnings = WarningLog()
        let writer = try sink.makeTableWriter(schema: TableSchema(name: "x", columns: columns), artifact: artifact, warnings: warnings)
        var batch = RowBatch(columnCount: columns.count, capacity: max(1, batches.map(\.count).max() ?? 1))
        for rows in batches {
            batch.removeAll()
            for row in rows {
                precondition(row.count == columns.count, "test row width")
                for value in row { batch.appendValue(value) }
            }
            try writer.write(batch)
            try artifact.checkError()
        }
        try writer.finish()
        try staged.close(artifact, rows: batches.reduce(0) { $0 + $1.count })
        let set = try staged.commit(sources: [], warnings: warnings.messages, tool: "sink-test-kit")
        let entry = set.manifest.artifacts[0]
        let url = set.url(of: entry)
        return Export(url: url, bytes: Array(try Data(contentsOf: url)), warnings: warnings.messages, artifact: entry)
    }

    /// Writes `rows` in batches of `batchSize`.
    public func export(_ sink: any Sink, columns: [Column], rows: [[TestValue]], batchSize: Int = 3) throws -> Export {
        let size = max(1, batchSize)
        let batches = stride(from: 0, to: rows.count, by: size).map { Array(rows[$0..<min($0 + size, rows.count)]) }
        return try export(sink, columns: columns, batches: batches)
    }

    /// What one job run through the engine produced.
    public struct Run {
        /// The committed set.
        public var set: BackupSet
        /// The run's warnings.
        public var warnings: [String]
    }

    /// A new, empty repository under `root`.
    public func makeRepository() throws -> Repository {
        try FileSystem.makeDirectory(root)
        let repository = Repository(url: root.appendingPathComponent(UUID().uuidString, isDirectory: true))
        try repository.prepare()
        return repository
    }

    /// Runs a job whose source emits `tables` (at most `batchSize` rows per batch) and, when given,
    /// a file dataset holding `file`, into `sinks`, through the real engine, at `time`; throws what
    /// the run or a sink threw.
    public func run(_ sinks: [any Sink], tables: [KitTable], batchSize: Int, file: [UInt8]? = nil,
                    in repository: Repository, time: Date = Date(timeIntervalSince1970: 1_750_000_000)) throws -> Run {
        let source = KitSource(tables: tables, batchSize: batchSize, file: file)
        let job = Job(name: "kit", sources: [Job.SourceBinding(name: "kit", source: source, datasets: nil)],
                      sinks: sinks.enumerated().map { Job.Binding(name: "sink\($0.offset)", component: $0.element) },
                      policies: [])
        switch try RunEngine(repository: repository, tool: "sink-test-kit").run(job, options: RunOptions(time: time, command: "sink-test-kit")) {
        case .committed(let set, let warnings, _):
            return Run(set: set, warnings: warnings)
        case .committedButSinkFailed(_, _, let error):
            throw error
        case .skipped(let reason):
            throw CadangError(.failure, "the kit's run was skipped: \(reason)")
        }
    }
}
