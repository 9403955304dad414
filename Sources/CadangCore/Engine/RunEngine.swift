import Foundation
import Logging

/// Runs jobs: policies decide, each source is read once from one consistent view, every table is
/// fanned out to every sink batch by batch, file datasets are stored as they are, the set is
/// committed, then packing sinks, the sinks copying their archives (`ArchiveCopying`) and
/// after-commit policies run.
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
        var opened: [Opened] = []
        // Sources are closed once everything is read and their state prepared, before the set is
        // committed (or dropped): nothing holds the live data while sinks pack the set.
        func closeAll() {
            for source in opened { source.snapshot.close() }
            opened = []
        }
        defer { closeAll() }
        var transactions: [Job.Binding<any TransactionalSink>] = []
        // Kept past closeAll(): a commit that fails after they prepared must still abandon them.
        var committing: [any CommittingSnapshot] = []
        func abandonAll() {
            for snapshot in committing { snapshot.abandon() }
            closeAll()
            for run in runs { run.abandon() }
            for sink in transactions { sink.component.rollback() }
            staged.discard()
        }
        let set: BackupSet
        do {
            for policy in job.policies {
                if let run = try policy.component.begin(RunContext(job: context, setID: staged.id)) { runs.append(run) }
            }
            opened = try open(job, staged: staged, time: time, warnings: warnings)
            committing = opened.compactMap { $0.snapshot as? any CommittingSnapshot }
            if let reason = try skipReason(runs, opened: opened, force: options.force) {
                abandonAll()
                return .skipped(reason: reason)
            }
            for sink in job.sinks {
                guard let transactional = sink.component as? any TransactionalSink else { continue }
                try transactional.beginRun(setID: staged.id)
                transactions.append(Job.Binding(name: sink.name, component: transactional))
            }
            let (sources, filtered) = try write(job, opened: opened, into: staged, warnings: warnings, runs: runs)
            for source in opened {
                if let report = (source.snapshot as? any ReportingSnapshot)?.runReport { options.report?(source.binding.name, report) }
            }
            for run in runs { try run.prepareCommit() }
            for snapshot in committing { try snapshot.prepareCommit() }
            for sink in transactions { try sink.component.prepareCommit() }
            closeAll()
            set = try staged.commit(sources: sources, warnings: warnings.messages, tool: tool,
                                    incremental: filtered.isEmpty ? nil : filtered)
        } catch {
            abandonAll()
            throw error
        }

        for sink in transactions {
            do {
                try sink.component.commit()
            } catch {
                return sinkFailed(set, sink: sink.name, error: error, warnings: warnings)
            }
        }
        // Only whole-set sinks (no table exports) can use the job's earlier sets; others skip the listing.
        let earlier = job.sinks.contains { $0.component.fileExtension == nil }
            ? repository.sets(job: job.name).filter { $0.id != set.id } : []
        // Sinks that copy another sink's archives come last, whatever the config's order: the
        // archives they copy must be written first.
        let copying = job.sinks.filter { $0.component is any ArchiveCopying }
        for sink in job.sinks where !(sink.component is any ArchiveCopying) {
            do {
                try sink.component.didCommit(set, earlier: earlier, warnings: warnings)
            } catch {
                return sinkFailed(set, sink: sink.name, error: error, warnings: warnings)
            }
        }
        for sink in copying {
            do {
                try copyArchives(sink, of: job, set: set, earlier: earlier, warnings: warnings)
            } catch {
                return sinkFailed(set, sink: sink.name, error: error, warnings: warnings)
            }
        }
        for policy in job.policies { try policy.component.afterCommit(set, context: context) }
        return .committed(set, warnings: warnings.messages, status: warnings.somethingSkipped ? .partial : .success)
    }

    /// Hands a copying sink the archives its upstream sink made of this and the earlier sets.
    private func copyArchives(_ sink: Job.Binding<any Sink>, of job: Job, set: BackupSet, earlier: [BackupSet],
                              warnings: WarningLog) throws {
        guard let copier = sink.component as? any ArchiveCopying else { return }
        // The config check guarantees this for configs; a job built by hand may still be wrong.
        guard let upstream = job.sinks.first(where: { $0.name == copier.upstream && $0.component is any ArchiveMaking }) else {
            throw CadangError(.usage, "sink '\(sink.name)' copies the archives of '\(copier.upstream)', which is no archive sink of job '\(job.name)'",
                              fix: "add that sink to the job, or name one of the job's archive sinks")
        }
        let maker = upstream.component
        let folder = repository.copiesDirectory.appendingPathComponent(sink.name, isDirectory: true)
        try copier.copyArchives(ArchiveCopyRequest(set: set, earlier: earlier, recordFolder: folder, warnings: warnings,
                                                   archives: { maker.archivedCopies(of: $0) }))
    }

    /// The set is committed and stays; pruning waits until the sink works again.
    private func sinkFailed(_ set: BackupSet, sink: String, error: any Error, warnings: WarningLog) -> RunOutcome {
        let failure = CadangError.from(error, while: "sink '\(sink)'")
        return .committedButSinkFailed(set, warnings: warnings.messages,
                                       error: CadangError(failure.status, "set \(set.id) was written, but sink '\(sink)' failed: \(failure.message)", fix: failure.fix))
    }

    /// A source of the run, opened.
    private struct Opened {
        var binding: Job.SourceBinding
        var snapshot: any SourceSnapshot
        var view: OpenedSource
    }

    /// Opens every source, so policies can look at all of them before anything is written.
    private func open(_ job: Job, staged: StagedSet, time: Date, warnings: WarningLog) throws -> [Opened] {
        var opened: [Opened] = []
        do {
            for binding in job.sources {
                let request = SourceRequest(datasets: binding.datasets, time: time, scratchDirectory: staged.scratchDirectory,
                                            warnings: warnings, setID: staged.id,
                                            state: SourceState(repository: repository, source: binding.name))
                let snapshot = try binding.source.open(request)
                let view = OpenedSource(name: binding.name, plugin: type(of: binding.source).descriptor.name, snapshot: snapshot)
                opened.append(Opened(binding: binding, snapshot: snapshot, view: view))
            }
        } catch {
            for source in opened {
                (source.snapshot as? any CommittingSnapshot)?.abandon()
                source.snapshot.close()
            }
            throw error
        }
        return opened
    }

    /// A policy's reason to write no set (asked even under --force, so the fingerprints are
    /// recorded for the next run to compare), or `nil`.
    private func skipReason(_ runs: [any PolicyRun], opened: [Opened], force: Bool) throws -> String? {
        for run in runs {
            if case .skip(let reason) = try run.beforeWrite(opened.map(\.view)), !force { return reason }
        }
        return nil
    }

    /// Writes each opened source's datasets; returns the manifest's source entries and filtered tables.
    private func write(_ job: Job, opened: [Opened], into staged: StagedSet, warnings: WarningLog,
                       runs: [any PolicyRun]) throws -> ([Manifest.SourceEntry], [Manifest.FilteredTable]) {
        let naming = ArtifactNaming(job: job)
        var entries: [Manifest.SourceEntry] = []
        var filtered: [Manifest.FilteredTable] = []
        for source in opened {
            let (binding, snapshot, view) = (source.binding, source.snapshot, source.view)
            var emitted: Set<String> = []
            while let dataset = try snapshot.nextDataset() {
                emitted.insert(dataset.name)
                switch dataset {
                case .file(let file):
                    try staged.add(file, path: naming.filePath(source: binding.name, fileName: file.fileName), plugin: view.plugin)
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
        return (entries, filtered)
    }

    /// Fans one table out to every sink, batch by batch, through the policies' row filters;
    /// returns the manifest's entry when a filter took part. Reading and filtering stay on this
    /// thread; each sink's writer runs on its own (`TableFanOut`), and is finished and closed back
    /// here, in sink order, so trailers, warnings and the manifest come out as they always did.
    private func copy(_ reader: any TableReader, source: String, job: Job, naming: ArtifactNaming,
                      into staged: StagedSet, warnings: WarningLog, runs: [any PolicyRun]) throws -> Manifest.FilteredTable? {
        let schema = reader.schema
        var outputs: [TableFanOut.Output] = []
        for sink in job.sinks {
            guard let ext = sink.component.fileExtension,
                  !schema.columnIndices(for: sink.component.audience).isEmpty else { continue }
            let path = naming.tablePath(source: source, dataset: schema.name, sink: sink.name, fileExtension: ext)
            let artifact = try staged.createArtifact(path: path, dataset: schema.name, format: ext,
                                                     plugin: type(of: sink.component).descriptor.name)
            let writer = try sink.component.makeTableWriter(schema: schema, artifact: artifact, warnings: warnings)
            outputs.append(TableFanOut.Output(sink: sink.name, writer: writer, artifact: artifact))
        }
        guard !outputs.isEmpty else { return nil }
        let filters = try runs.compactMap { try $0.rowFilter(for: schema, source: source) }
        var read = 0
        var rows = 0
        let progress = Progress.step("export \(source).\(schema.name)", total: nil, unit: .rows)
        defer { progress.finish() }
        try TableFanOut(outputs: outputs).run(columnCount: schema.columns.count) { batch in
            let more = try reader.read(into: &batch)
            read += batch.rowCount
            progress.advance(by: Int64(batch.rowCount))
            for filter in filters where !batch.isEmpty { try filter.filter(&batch) }
            rows += batch.rowCount
            return more
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
