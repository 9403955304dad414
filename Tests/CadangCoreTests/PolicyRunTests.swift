import CadangCore
import Foundation
import XCTest

/// A policy whose runs keep rows with an even id, answer `decision` before writing, and record
/// their lifecycle.
struct EvenRowsPolicy: Policy {
    static let descriptor = PluginDescriptor(kind: .policy, name: "even-rows", summary: "In-test per-record policy.")
    var decision: RunDecision = .proceed
    var journal = Journal()

    init(decision: RunDecision = .proceed, journal: Journal) {
        self.decision = decision
        self.journal = journal
    }

    init(configuration: PluginConfiguration) throws {}

    func begin(_ run: RunContext) throws -> (any PolicyRun)? {
        journal.add("begin")
        return EvenRowsRun(decision: decision, journal: journal, run: run)
    }
}

final class EvenRowsRun: PolicyRun {
    let decision: RunDecision
    let journal: Journal
    let run: RunContext

    init(decision: RunDecision, journal: Journal, run: RunContext) {
        self.decision = decision
        self.journal = journal
        self.run = run
    }

    func beforeWrite(_ sources: [OpenedSource]) throws -> RunDecision {
        journal.add("beforeWrite \(sources.map(\.name)) fingerprint=\(String(describing: try sources.first?.fingerprint()))")
        return decision
    }

    func rowFilter(for table: TableSchema, source: String) throws -> (any RowFilter)? { EvenIDs() }

    func prepareCommit() throws {
        journal.add("prepareCommit listed=\(run.job.repository.set(id: run.setID) != nil)")
    }

    func abandon() { journal.add("abandon") }
}

final class EvenIDs: RowFilter {
    let key = "id"
    func filter(_ batch: inout RowBatch) throws {
        var keep: [Bool] = []
        for row in 0..<batch.rowCount {
            guard case .integer(let id) = batch.cell(row: row, column: 0) else { return XCTFail("id is an integer") }
            keep.append(id % 2 == 0)
        }
        batch.retainRows { keep[$0] }
    }
}

final class PolicyRunTests: TemporaryFolderTestCase {
    private let time = utcDate(2026, 1, 31, 16, 0, 0)

    private func job(_ policy: EvenRowsPolicy, journal: Journal, rows: Int = 10, failAt: Int? = nil) -> Job {
        Job(name: "daily",
            sources: [.init(name: "shop", source: ShopSource(rows: rows, failAt: failAt, journal: journal), datasets: nil)],
            sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt", journal: journal))],
            policies: [.init(name: "even", component: policy)])
    }

    func testRowFiltersShapeTheSetAndTheManifestMarksItIncremental() throws {
        let repository = makeRepository()
        let journal = Journal()
        let outcome = try RunEngine(repository: repository, tool: "test")
            .run(job(EvenRowsPolicy(journal: journal), journal: journal, rows: 9000), options: RunOptions(time: time))
        guard case .committed(let set, _, _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(set.manifest.artifacts.first?.rows, 4500, "rows 2, 4, … 9000 across several batches")
        XCTAssertEqual(set.manifest.incremental, [Manifest.FilteredTable(source: "shop", dataset: "items", key: "id", read: 9000, written: 4500)])
        XCTAssertNil(set.manifest.sources.first?.fingerprint, "the shop source cannot tell, so nothing is recorded")
        let text = String(decoding: try contents(set.url(of: set.manifest.artifacts[0])), as: UTF8.self)
        XCTAssertTrue(text.contains("\n2\t") && !text.contains("\n3\t"), "odd ids are gone")
        let lifecycle = journal.events.filter { !$0.hasPrefix("table") && !$0.hasPrefix("write") && !$0.hasPrefix("finish") }
        XCTAssertEqual(lifecycle.first, "begin")
        XCTAssertEqual(lifecycle.filter { $0.hasPrefix("prepareCommit") }, ["prepareCommit listed=false"], "state is made durable before the set is listed")
        XCTAssertFalse(lifecycle.contains("abandon"))
        XCTAssertEqual(Manifest.read(from: set.directory.appendingPathComponent(Manifest.fileName))?.incremental?.first?.written, 4500)
    }

    func testAFailedRunAbandonsAndNeverPreparesACommit() throws {
        let repository = makeRepository()
        let journal = Journal()
        XCTAssertThrowsError(try RunEngine(repository: repository, tool: "test")
            .run(job(EvenRowsPolicy(journal: journal), journal: journal, failAt: 5), options: RunOptions(time: time)))
        XCTAssertTrue(journal.events.contains("abandon"))
        XCTAssertFalse(journal.events.contains { $0.hasPrefix("prepareCommit") })
        XCTAssertEqual(repository.sets().count, 0)
    }

    func testASkipBeforeWritingDropsTheRunUnlessForced() throws {
        let repository = makeRepository()
        let journal = Journal()
        let skipping = job(EvenRowsPolicy(decision: .skip(reason: "unchanged since X"), journal: journal), journal: journal)
        let outcome = try RunEngine(repository: repository, tool: "test").run(skipping, options: RunOptions(time: time))
        XCTAssertEqual("\(outcome)", "\(RunOutcome.skipped(reason: "unchanged since X"))")
        XCTAssertEqual(repository.sets().count, 0)
        XCTAssertEqual(listing(root.appendingPathComponent("repo/tmp")), [], "nothing staged remains")
        XCTAssertEqual(journal.events.filter { $0 == "abandon" || $0 == "close" }, ["close", "abandon"], "sources closed, then the run dropped")
        XCTAssertFalse(journal.events.contains { $0.hasPrefix("table") }, "no dataset is read")

        let forced = try RunEngine(repository: repository, tool: "test").run(skipping, options: RunOptions(time: time, force: true))
        guard case .committed = forced else { return XCTFail("--force writes anyway: \(forced)") }
        XCTAssertEqual(journal.events.filter { $0.hasPrefix("beforeWrite") }.count, 2, "asked under --force too, so fingerprints are recorded")
    }
}
