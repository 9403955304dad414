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
        var runs: [any PolicyRun] = []
        let set: BackupSet
        do {
            for policy in job.policies {
                if let run = try policy.component.begin(RunContext(job: context, setID: staged.id)) { runs.append(run) }
            }
            switch try write(job, into: staged, time: time, warnings: warnings, runs: runs, force: options.force) {
            case .skipped(let reason):
                for run in runs { run.abandon() }
                staged.discard()
                return .skipped(reason: reason)
            case .written(let sources, let filtered):
                for run in runs { try run.prepareCommit() }
                set = try staged.commit(sources: sources, warnings: warnings.messages, tool: tool,
                                        incremental: filtered.isEmpty ? nil : filtered)
            }
        } catch {
            for run in runs { run.abandon() }
            staged.discard()
            throw error
        }

        // Only whole-set sinks (no table exports) can use the job's earlier sets; others skip the listing.
        let earlier = job.sinks.contains { $0.component.fileExtension == nil }
            ? repository.sets(job: job.name).filter { $0.id != set.id } : []
        for sink in job.sinks {
            do {
                try sink.component.didCommit(set, earlier: earlier, warnings: warnings)
            } catch {
                // The set is committed and stays; pruning waits until the copies work again.
                let failure = error as? CadangError ?? CadangError(.failure, "\(error)")
                return .committedButSinkFailed(set, warnings: warnings.messages,
                                               error: CadangError(failure.status, "set \(set.id) was written, but sink '\(sink.name)' failed: \(failure.message)", fix: failure.fix))
            }
        }
        for policy in job.policies { try policy.component.afterCommit(set, context: context) }
        return .committed(set, warnings: warnings.messages, status: warnings.somethingSkipped ? .partial : .success)
    }

    /// What writing a job's sources ended with.
    private enum Written {
        case written([Manifest.SourceEntry], filtered: [Manifest.FilteredTable])
        case skipped(String)
    }

    /// Opens every source (so policies can look at all of them before anything is written), then
    /// writes each one's datasets.
    private func write(_ job: Job, into staged: StagedSet, time: Date, warnings: WarningLog,
                       runs: [any PolicyRun], force: Bool) throws -> Written {
        var opened: [(binding: Job.SourceBinding, snapshot: any SourceSnapshot, view: OpenedSource)] = []
        defer { for source in opened { source.snapshot.close() } }
        for binding in job.sources {
            let request = SourceRequest(datasets: binding.datasets, time: time,
                                        scratchDirectory: staged.scratchDirectory, warnings: warnings)
            let snapshot = try binding.source.open(request)
            let view = OpenedSource(name: binding.name, plugin: type(of: binding.source).descriptor.name, snapshot: snapshot)
            opened.append((binding, snapshot, view))
        }
        for run in runs {
            // Asked even under --force, so the fingerprints are recorded for the next run to compare.
            if case .skip(let reason) = try run.beforeWrite(opened.map(\.view)), !force {
                return .skipped(reason)
            }
        }

        let naming = ArtifactNaming(job: job)
        var entries: [Manifest.SourceEntry] = []
        var filtered: [Manifest.FilteredTable] = []
        for (binding, snapshot, view) in opened {
            var emitted: Set<String> = []
            while let dataset = try snapshot.nextDataset() {
                emitted.insert(dataset.name)
                switch dataset {
                case .file(let file):
                    try staged.add(file, path: naming.filePath(source: binding.name, fileName: file.fileName))
                case .table(let reader):
                    if let table = try copy(reader, source: binding.name, job: job, naming: naming, into: staged,
                                            warnings: warnings, runs: runs) {
                        filtered.append(table)
                    }
                }
            }
            if let wanted = binding.datasets?.subtracting(emitted), !wanted.isEmpty {
                throw CadangError(.usage, "source '\(binding.name)' has no dataset named \(wanted.sorted().joined(separator: ", "))",
                                  fix: "check the job's sources list in the config")
            }
            entries.append(Manifest.SourceEntry(name: binding.name, plugin: view.plugin, description: snapshot.description,
                                                fingerprint: view.recordedFingerprint))
        }
        return .written(entries, filtered: filtered)
    }

    /// Fans one table out to every sink, batch by batch, through the policies' row filters;
    /// returns the manifest's entry when a filter took part.
    private func copy(_ reader: any TableReader, source: String, job: Job, naming: ArtifactNaming,
                      into staged: StagedSet, warnings: WarningLog, runs: [any PolicyRun]) throws -> Manifest.FilteredTable? {
        let schema = reader.schema
        var outputs: [(artifact: ArtifactWriter, writer: any TableWriter)] = []
        for sink in job.sinks {
            guard let ext = sink.component.fileExtension,
                  !schema.columnIndices(for: sink.component.audience).isEmpty else { continue }
            let path = naming.tablePath(source: source, dataset: schema.name, sink: sink.name, fileExtension: ext)
            let artifact = try staged.createArtifact(path: path, dataset: schema.name, format: ext)
            outputs.append((artifact, try sink.component.makeTableWriter(schema: schema, artifact: artifact, warnings: warnings)))
        }
        guard !outputs.isEmpty else { return nil }
        let filters = try runs.compactMap { try $0.rowFilter(for: schema, source: source) }
        var batch = RowBatch(columnCount: schema.columns.count)
        var read = 0
        var rows = 0
        var more = true
        while more {
            batch.removeAll()
            more = try reader.read(into: &batch)
            read += batch.rowCount
            for filter in filters where !batch.isEmpty { try filter.filter(&batch) }
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
        guard !filters.isEmpty else { return nil }
        return Manifest.FilteredTable(source: source, dataset: schema.name, key: filters.map(\.key).joined(separator: ", "),
                                      read: read, written: rows)
    }
}
