import Foundation
import Logging

/// Runs jobs: policies decide, each source is read once from one consistent view, every table is
/// fanned out to every sink batch by batch, file datasets are stored as they are, the set is
/// committed, then packing sinks and after-commit policies run.
public struct RunEngine {
    /// The repository sets are written to.
    public var repository: Repository
    /// `cadang <version>`, recorded in manifests.
    public var tool: String
    /// Progress and diagnostics.
    public var logger: Logger

    /// Creates an engine.
    public init(repository: Repository, tool: String, logger: Logger = Logger(label: "cadang")) {
        self.repository = repository
        self.tool = tool
        self.logger = logger
    }

    /// Runs `job` under the repository lock.
    public func run(_ job: Job, options: RunOptions) throws -> RunOutcome {
        let lock = try repository.lock(wait: options.lockWait, command: options.command)
        defer { lock.release() }
        if let stale = lock.tookOverFrom {
            logger.notice("took over a stale lock left by \(stale)")
        }
        let swept = try repository.sweepLeftovers()
        if !swept.isEmpty { logger.info("removed \(swept.count) leftover(s) of an interrupted run") }

        let warnings = WarningLog(logger: logger)
        let time = options.time ?? Date()
        let context = JobContext(job: job.name, repository: repository, time: time, force: options.force, warnings: warnings)
        if !options.force {
            for policy in job.policies {
                if case .skip(let reason) = try policy.component.beforeRun(context) {
                    return .skipped(reason: "\(policy.name): \(reason)")
                }
            }
        }

        let staged = try repository.beginSet(job: job.name, time: time)
        let set: BackupSet
        do {
            let sources = try write(job, into: staged, time: time, warnings: warnings)
            set = try staged.commit(sources: sources, warnings: warnings.messages, tool: tool)
        } catch {
            staged.discard()
            throw error
        }

        for sink in job.sinks { try sink.component.didCommit(set, warnings: warnings) }
        for policy in job.policies { try policy.component.afterCommit(set, context: context) }
        return .committed(set, warnings: warnings.messages, status: warnings.somethingSkipped ? .partial : .success)
    }

    private func write(_ job: Job, into staged: StagedSet, time: Date, warnings: WarningLog) throws -> [Manifest.SourceEntry] {
        let naming = ArtifactNaming(job: job)
        var entries: [Manifest.SourceEntry] = []
        for binding in job.sources {
            let request = SourceRequest(datasets: binding.datasets, time: time,
                                        scratchDirectory: staged.scratchDirectory, warnings: warnings)
            let snapshot = try binding.source.open(request)
            defer { snapshot.close() }
            var emitted: Set<String> = []
            while let dataset = try snapshot.nextDataset() {
                emitted.insert(dataset.name)
                switch dataset {
                case .file(let file):
                    try staged.add(file, path: naming.filePath(source: binding.name, fileName: file.fileName))
                case .table(let reader):
                    try copy(reader, source: binding.name, job: job, naming: naming, into: staged, warnings: warnings)
                }
            }
            if let wanted = binding.datasets?.subtracting(emitted), !wanted.isEmpty {
                throw CadangError(.usage, "source '\(binding.name)' has no dataset named \(wanted.sorted().joined(separator: ", "))",
                                  fix: "check the job's sources list in the config")
            }
            entries.append(Manifest.SourceEntry(name: binding.name, plugin: type(of: binding.source).descriptor.name,
                                                description: snapshot.description))
        }
        return entries
    }

    private func copy(_ reader: any TableReader, source: String, job: Job, naming: ArtifactNaming,
                      into staged: StagedSet, warnings: WarningLog) throws {
        let schema = reader.schema
        var outputs: [(artifact: ArtifactWriter, writer: any TableWriter)] = []
        for sink in job.sinks {
            guard let ext = sink.component.fileExtension,
                  !schema.columnIndices(for: sink.component.audience).isEmpty else { continue }
            let path = naming.tablePath(source: source, dataset: schema.name, sink: sink.name, fileExtension: ext)
            let artifact = try staged.createArtifact(path: path, dataset: schema.name, format: ext)
            outputs.append((artifact, try sink.component.makeTableWriter(schema: schema, artifact: artifact, warnings: warnings)))
        }
        guard !outputs.isEmpty else { return }
        var batch = RowBatch(columnCount: schema.columns.count)
        var rows = 0
        var more = true
        while more {
            batch.removeAll()
            more = try reader.read(into: &batch)
            guard !batch.isEmpty else { continue }
            rows += batch.rowCount
            for output in outputs {
                try output.writer.write(batch)
                try output.artifact.checkError()
            }
        }
        for output in outputs {
            try output.writer.finish()
            try staged.close(output.artifact, rows: rows)
        }
    }
}

