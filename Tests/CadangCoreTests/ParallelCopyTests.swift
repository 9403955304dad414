import CadangCore
import Foundation
import XCTest

/// The engine writes each table to its sinks on one thread per sink (`TableFanOut`): these tests
/// fail if that path loses, reorders or corrupts batches, lets a thread outlive the run, keeps
/// reading after a writer failed, or reports another error than the single-threaded loop would.
final class ParallelCopyTests: TemporaryFolderTestCase {
    private let time = utcDate(2026, 2, 1, 9, 30, 0)

    private func run(_ source: CountingSource, _ sinks: [BatchSink], policies: [Job.Binding<any Policy>] = [],
                     repository: Repository) throws -> RunOutcome {
        let job = Job(name: "daily", sources: [.init(name: "shop", source: source, datasets: nil)],
                      sinks: sinks.map { .init(name: $0.name, component: $0) }, policies: policies)
        return try RunEngine(repository: repository, tool: "cadang 0.0-test").run(job, options: RunOptions(time: time))
    }

    private func committed(_ outcome: RunOutcome, file: StaticString = #filePath, line: UInt = #line) throws -> BackupSet {
        guard case .committed(let set, _, _) = outcome else {
            XCTFail("expected a committed set, got \(outcome)", file: file, line: line)
            throw CadangError(.failure, "not committed")
        }
        return set
    }

    /// Runs `body`, which must throw a `ShelfError`, and returns it.
    private func shelfError(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> RunOutcome) -> ShelfError? {
        do {
            let outcome = try body()
            XCTFail("expected the run to fail, got \(outcome)", file: file, line: line)
        } catch let error as ShelfError {
            return error
        } catch {
            XCTFail("expected the plugin's own ShelfError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// The writers' threads have exited (their `/proc/self/task` entries are gone).
    private func assertNoWriterThreadLeft(_ log: ThreadLog, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(log.writerTasks.isEmpty, "writers ran", file: file, line: line)
        for task in log.writerTasks {
            XCTAssertFalse(FileManager.default.fileExists(atPath: task), "writer thread \(task) outlived the run", file: file, line: line)
        }
    }

    private func assertNothingStaged(_ repository: Repository, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(repository.sets().count, 0, file: file, line: line)
        XCTAssertEqual(listing(root.appendingPathComponent("repo/tmp")), [], "the staged set is discarded", file: file, line: line)
    }

    /// What the engine wrote before it used threads: every batch to every sink in turn, on this
    /// thread, into a set of its own (job `reference`).
    private func singleThreaded(_ source: CountingSource, _ sinks: [BatchSink], repository: Repository) throws -> BackupSet {
        let staged = try repository.beginSet(job: "reference", time: time)
        let reader = CountingTable(source: source)
        var outputs: [(artifact: ArtifactWriter, writer: any TableWriter)] = []
        for sink in sinks {
            let artifact = try staged.createArtifact(path: "items.\(sink.name).txt", dataset: "items", format: "txt", plugin: "batches")
            outputs.append((artifact, try sink.makeTableWriter(schema: reader.schema, artifact: artifact, warnings: WarningLog())))
        }
        var batch = RowBatch(columnCount: reader.schema.columns.count)
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
        return try staged.commit(sources: [], warnings: [], tool: "reference")
    }

    func testManyBatchesThroughTwoSinksMatchTheSingleThreadedResult() throws {
        let repository = makeRepository()
        let log = ThreadLog()
        // 101 batches through a ring of 4; the slower writer makes the reader wait for buffers.
        let source = CountingSource(rows: 100_003, batchRows: 997, log: log)
        let sinks = [BatchSink(name: "fast", log: log), BatchSink(name: "slow", pause: 300, log: log)]
        let set = try committed(try run(source, sinks, repository: repository))
        let unlogged = sinks.map { BatchSink(name: $0.name, pause: $0.pause) }
        let reference = try singleThreaded(CountingSource(rows: 100_003, batchRows: 997, log: ThreadLog()), unlogged, repository: repository)

        XCTAssertEqual(set.manifest.artifacts.map(\.path), ["items.fast.txt", "items.slow.txt"], "manifest in sink order")
        XCTAssertEqual(set.manifest.artifacts.map(\.path), reference.manifest.artifacts.map(\.path))
        let expected = BatchSink.expected(rows: 100_003, batchRows: 997)
        for (artifact, single) in zip(set.manifest.artifacts, reference.manifest.artifacts) {
            let bytes = try contents(set.url(of: artifact))
            // Compared as a whole: a failure message listing megabytes of bytes helps nobody.
            XCTAssertTrue(bytes == (try contents(reference.url(of: single))), "\(artifact.path) differs from the single-threaded file")
            XCTAssertTrue(bytes == expected, "\(artifact.path) differs from BatchSink.expected")
            XCTAssertEqual(artifact.sha256, single.sha256, artifact.path)
            XCTAssertEqual(artifact.sha256, try sha256sum(set.url(of: artifact)), artifact.path)
            XCTAssertEqual(artifact.bytes, single.bytes, artifact.path)
            XCTAssertEqual(artifact.rows, 100_003, artifact.path)
        }
        XCTAssertEqual(log.batchesRead, 101)
        XCTAssertEqual(log.batchesWritten, ["fast": 101, "slow": 101])

        // Each sink wrote on a thread of its own, not on the caller's, and both are gone.
        let here = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
        XCTAssertEqual(log.writerTasks.count, 2, "one thread per sink: \(log.writerTasks)")
        XCTAssertFalse(log.writerTasks.contains { here.hasSuffix($0.replacingOccurrences(of: "/proc/self", with: "")) })
        assertNoWriterThreadLeft(log)
    }

    func testRowFiltersApplyBeforeTheHandOff() throws {
        let repository = makeRepository()
        let journal = Journal()
        let log = ThreadLog()
        let set = try committed(try run(CountingSource(rows: 9_001, batchRows: 1_000, log: log),
                                        [BatchSink(name: "a", log: log), BatchSink(name: "b", pause: 100, log: log)],
                                        policies: [.init(name: "even", component: EvenRowsPolicy(journal: journal))],
                                        repository: repository))
        var text = "id\tword\tweight\tnote\n"
        for (number, start) in stride(from: 0, to: 9_001, by: 1_000).enumerated() {
            let kept = (start..<min(9_001, start + 1_000)).filter { ($0 + 1) % 2 == 0 }
            guard !kept.isEmpty else { continue }
            text += "batch \(number): \(kept.count) rows\n" + kept.map(CountingSource.line).joined()
        }
        text += "end\n"
        for artifact in set.manifest.artifacts {
            XCTAssertEqual(String(decoding: try contents(set.url(of: artifact)), as: UTF8.self), text, artifact.path)
            XCTAssertEqual(artifact.rows, 4_500)
        }
        XCTAssertEqual(set.manifest.incremental, [Manifest.FilteredTable(source: "shop", dataset: "items", key: "id", read: 9_001, written: 4_500)])
        // The last batch (row 9001 alone) is empty once filtered: no writer is given it.
        XCTAssertEqual(log.batchesWritten, ["a": 9, "b": 9])
    }

    func testEmptyTableStillFinishesEverySink() throws {
        let repository = makeRepository()
        let log = ThreadLog()
        let set = try committed(try run(CountingSource(rows: 0, batchRows: 10, log: log), [BatchSink(name: "a"), BatchSink(name: "b")],
                                        repository: repository))
        XCTAssertEqual(set.manifest.artifacts.map(\.rows), [0, 0])
        for artifact in set.manifest.artifacts {
            XCTAssertEqual(try contents(set.url(of: artifact)), Array("id\tword\tweight\tnote\nend\n".utf8), artifact.path)
        }
    }

    func testWriterThrowingMidTableFailsTheRunAndStopsTheReader() throws {
        let repository = makeRepository()
        let journal = Journal()
        let log = ThreadLog()
        // 1,000 batches; the second sink fails on its fourth.
        let source = CountingSource(rows: 1_000_000, batchRows: 1_000, log: log)
        let error = shelfError {
            try run(source, [BatchSink(name: "fine", log: log), BatchSink(name: "full", failAt: 3, log: log)],
                    policies: [.init(name: "rec", component: EvenRowsPolicy(journal: journal))], repository: repository)
        }
        XCTAssertEqual(error, ShelfError(who: "full", batch: 3), "the writer's own error, unchanged")
        assertNothingStaged(repository)
        XCTAssertTrue(journal.events.contains("abandon"), "the policy's run is abandoned")
        XCTAssertFalse(journal.events.contains { $0.hasPrefix("prepareCommit") })
        // The reader stopped within a ring's worth of batches of the failure, not after 1,000.
        XCTAssertLessThanOrEqual(log.batchesRead, 4 + 4 + 1, "batches read: \(log.batchesRead)")
        assertNoWriterThreadLeft(log)

        // The lock was released and nothing is in the way of the next run.
        let set = try committed(try run(CountingSource(rows: 5, batchRows: 2, log: ThreadLog()), [BatchSink(name: "fine")], repository: repository))
        XCTAssertEqual(try contents(set.url(of: set.manifest.artifacts[0])), BatchSink.expected(rows: 5, batchRows: 2))
    }

    func testReaderThrowingWhileWritersAreBusy() throws {
        let repository = makeRepository()
        let log = ThreadLog()
        // The reader fails on its seventh batch while both writers are still on earlier ones.
        let source = CountingSource(rows: 100_000, batchRows: 100, failAt: 6, log: log)
        let error = shelfError {
            try run(source, [BatchSink(name: "slow", pause: 20_000, log: log), BatchSink(name: "slower", pause: 30_000, log: log)],
                    repository: repository)
        }
        XCTAssertEqual(error, ShelfError(who: "source", batch: 6))
        assertNothingStaged(repository)
        XCTAssertEqual(log.batchesRead, 6)
        // As in a single-threaded run, the batches read before the failure were all written.
        XCTAssertEqual(log.batchesWritten, ["slow": 6, "slower": 6])
        assertNoWriterThreadLeft(log)
    }

    func testTheErrorReportedIsTheFirstInTheSingleThreadedOrder() throws {
        let log = ThreadLog()
        let source = CountingSource(rows: 100_000, batchRows: 100, log: log)
        // The second sink fails at an earlier batch, but later in time than the first sink does.
        XCTAssertEqual(shelfError {
            try run(source, [BatchSink(name: "a", failAt: 5, log: log), BatchSink(name: "b", failAt: 2, failDelay: 200_000, log: log)],
                    repository: makeRepository("one"))
        }, ShelfError(who: "b", batch: 2))
        // Both fail at the same batch: the first sink's error, though it comes last.
        XCTAssertEqual(shelfError {
            try run(source, [BatchSink(name: "a", failAt: 2, failDelay: 200_000, log: log), BatchSink(name: "b", failAt: 2, log: log)],
                    repository: makeRepository("two"))
        }, ShelfError(who: "a", batch: 2))
        // The reader fails at batch 4 at once; a writer's slower failure at batch 2 came first.
        var failing = source
        failing.failAt = 4
        XCTAssertEqual(shelfError {
            try run(failing, [BatchSink(name: "a", log: log), BatchSink(name: "b", failAt: 2, failDelay: 200_000, log: log)],
                    repository: makeRepository("three"))
        }, ShelfError(who: "b", batch: 2))
        assertNoWriterThreadLeft(log)
    }
}
