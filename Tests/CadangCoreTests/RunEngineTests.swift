import CadangCore
import Foundation
import XCTest

// MARK: - In-test plugins

/// What the in-test plugins saw, in order.
final class Journal: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    private var sets: [BackupSet] = []

    func add(_ event: String) { lock.withLock { items.append(event) } }
    func committed(_ set: BackupSet) { lock.withLock { sets.append(set) } }
    var events: [String] { lock.withLock { items } }
    var committedSets: [BackupSet] { lock.withLock { sets } }
}

/// A source with one or more tables of `rows` rows (id, name, price, note, data) and optionally a
/// file dataset `database` (`kasir.db`).
struct ShopSource: Source {
    static let descriptor = PluginDescriptor(kind: .source, name: "testshop", summary: "In-test shop source.", options: [
        OptionSpec("rows", .integer, default: .integer(5), doc: "Rows per table."),
    ])

    var rows = 5
    var tables = ["items"]
    var fileBytes: [UInt8]? = nil
    /// Throw when about to hand out the row with this index.
    var failAt: Int? = nil
    /// Rows per `read` call.
    var batchRows = 2
    var skippedWarning: String? = nil
    var plainWarning: String? = nil
    var journal = Journal()

    init(rows: Int = 5, tables: [String] = ["items"], fileBytes: [UInt8]? = nil, failAt: Int? = nil,
         skippedWarning: String? = nil, plainWarning: String? = nil, journal: Journal = Journal()) {
        self.rows = rows
        self.tables = tables
        self.fileBytes = fileBytes
        self.failAt = failAt
        self.skippedWarning = skippedWarning
        self.plainWarning = plainWarning
        self.journal = journal
    }

    init(configuration: PluginConfiguration) throws {
        rows = Int(configuration.options.integer("rows") ?? 5)
    }

    func open(_ request: SourceRequest) throws -> any SourceSnapshot {
        journal.add("open \(request.datasets.map { $0.sorted().joined(separator: ",") } ?? "*")")
        if let skippedWarning { request.warnings.skipped(skippedWarning) }
        if let plainWarning { request.warnings.warn(plainWarning) }
        return ShopSnapshot(source: self, request: request)
    }

    static let schemaColumns = [
        Column("id", title: "ID", kind: .integer), Column("name", title: "Name", kind: .text),
        Column("price", kind: .real), Column("note", kind: .text), Column("data", kind: .blob),
    ]

    /// The line `LineSink` writes for row `index`.
    static func expectedLine(_ index: Int) -> String {
        let note = index % 3 == 0 ? "NULL" : "note \(index)"
        let blob = Data([UInt8(truncatingIfNeeded: index), 0xFF, 0x00]).base64EncodedString()
        return "\(index + 1)\t\(name(index))\t\(price(index).description)\t\(note)\t\(blob)\n"
    }

    static func name(_ index: Int) -> String { index % 2 == 0 ? "item \(index)" : "kopi ☕ \(index)" }
    static func price(_ index: Int) -> Double { Double(index) * 1.5 + 0.25 }

    /// The whole artifact `LineSink` writes for a table of `rows` rows.
    static func expectedTable(rows: Int) -> String {
        "id\tname\tprice\tnote\tdata\n" + (0..<rows).map(expectedLine).joined() + "END \(rows)\n"
    }
}

final class ShopSnapshot: SourceSnapshot {
    private let source: ShopSource
    private let request: SourceRequest
    private var pending: [String]
    private var fileDone: Bool

    init(source: ShopSource, request: SourceRequest) {
        self.source = source
        self.request = request
        pending = source.tables.filter { request.wants($0) }
        fileDone = source.fileBytes == nil || !request.wants("database")
    }

    var description: String { "shop with \(source.tables.count) table(s)" }

    func nextDataset() throws -> Dataset? {
        if !fileDone, let bytes = source.fileBytes {
            fileDone = true
            let url = request.scratchDirectory.appendingPathComponent("snapshot.db")
            try Data(bytes).write(to: url)
            source.journal.add("file")
            return .file(FileDataset(name: "database", fileName: "kasir.db", format: "sqlite", url: url, rows: 3))
        }
        guard !pending.isEmpty else { return nil }
        let name = pending.removeFirst()
        source.journal.add("table \(name)")
        return .table(ShopTable(name: name, source: source))
    }

    func close() { source.journal.add("close") }
}

final class ShopTable: TableReader {
    let schema: TableSchema
    private let source: ShopSource
    private var next = 0

    init(name: String, source: ShopSource) {
        self.source = source
        schema = TableSchema(name: name, columns: ShopSource.schemaColumns)
    }

    func read(into batch: inout RowBatch) throws -> Bool {
        var added = 0
        while next < source.rows && added < source.batchRows && !batch.isFull {
            if let failAt = source.failAt, next == failAt {
                throw CadangError(.failure, "shop source failed on purpose at row \(failAt)")
            }
            batch.append(Int64(next + 1))
            batch.append(ShopSource.name(next))
            batch.append(ShopSource.price(next))
            batch.append(next % 3 == 0 ? nil : "note \(next)")
            [UInt8(truncatingIfNeeded: next), 0xFF, 0x00].withUnsafeBytes { batch.appendBlob($0) }
            next += 1
            added += 1
        }
        return next < source.rows
    }
}

/// A sink writing a header, one tab-separated line per row and a trailer.
struct LineSink: Sink {
    static let descriptor = PluginDescriptor(kind: .sink, name: "lines", summary: "In-test line sink.")
    let fileExtension: String?
    let name: String
    let journal: Journal

    init(name: String, fileExtension: String?, journal: Journal = Journal()) {
        self.name = name
        self.fileExtension = fileExtension
        self.journal = journal
    }

    init(configuration: PluginConfiguration) throws {
        name = configuration.name
        fileExtension = "txt"
        journal = Journal()
    }

    func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        journal.add("writer \(name) \(artifact.path)")
        return LineWriter(schema: schema, artifact: artifact)
    }

    func didCommit(_ set: BackupSet, warnings: WarningLog) throws {
        journal.add("didCommit \(name)")
        journal.committed(set)
    }
}

final class LineWriter: TableWriter {
    private let artifact: ArtifactWriter
    private var rows = 0

    init(schema: TableSchema, artifact: ArtifactWriter) {
        self.artifact = artifact
        artifact.write(schema.columns.map(\.name).joined(separator: "\t") + "\n")
    }

    func write(_ batch: RowBatch) throws {
        for row in 0..<batch.rowCount {
            for column in 0..<batch.columnCount {
                if column > 0 { artifact.write(UInt8(ascii: "\t")) }
                switch batch.cell(row: row, column: column) {
                case .null: artifact.write("NULL")
                case .integer(let value): artifact.write(decimal: value)
                case .real(let value): artifact.write(real: value)
                case .text(let range):
                    batch.withBytes { artifact.write(UnsafeBufferPointer(rebasing: $0[range])) }
                case .blob(let range):
                    batch.withBytes { artifact.writeBase64(UnsafeBufferPointer(rebasing: $0[range])) }
                }
            }
            artifact.write(UInt8(ascii: "\n"))
            rows += 1
        }
        try artifact.checkError()
    }

    func finish() throws {
        artifact.write("END \(rows)\n")
    }
}

/// A policy that answers `decision` and records what it is asked.
struct RecordingPolicy: Policy {
    static let descriptor = PluginDescriptor(kind: .policy, name: "recording", summary: "In-test policy.")
    var decision: RunDecision = .proceed
    var journal = Journal()

    init(decision: RunDecision, journal: Journal) {
        self.decision = decision
        self.journal = journal
    }

    init(configuration: PluginConfiguration) throws {}

    func beforeRun(_ context: JobContext) throws -> RunDecision {
        journal.add("beforeRun \(context.job) force=\(context.force)")
        return decision
    }

    func afterCommit(_ set: BackupSet, context: JobContext) throws {
        let listed = context.repository.sets().contains { $0.id == set.id }
        journal.add("afterCommit \(context.job) listed=\(listed)")
        journal.committed(set)
    }
}

// MARK: - Tests

final class RunEngineTests: TemporaryFolderTestCase {
    private let time = utcDate(2026, 1, 31, 16, 0, 0, micros: 250_000)

    private func engine(_ repository: Repository) -> RunEngine {
        RunEngine(repository: repository, tool: "cadang 0.0-test")
    }

    private func committed(_ outcome: RunOutcome, file: StaticString = #filePath, line: UInt = #line) throws -> BackupSet {
        guard case .committed(let set, _, _) = outcome else {
            XCTFail("expected a committed set, got \(outcome)", file: file, line: line)
            throw CadangError(.failure, "not committed")
        }
        return set
    }

    private var tmpFolder: URL { root.appendingPathComponent("repo/tmp") }

    /// Checks that `set` has exactly these artifacts with this content, and that the manifest's
    /// byte counts and digests match the files.
    private func assertArtifacts(_ set: BackupSet, _ expected: [String: (content: [UInt8], rows: Int?, dataset: String, format: String)],
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(Set(set.manifest.artifacts.map(\.path)), Set(expected.keys), file: file, line: line)
        XCTAssertEqual(Set(listing(set.directory)), Set(expected.keys).union([Manifest.fileName]), file: file, line: line)
        for artifact in set.manifest.artifacts {
            guard let want = expected[artifact.path] else { continue }
            let url = set.url(of: artifact)
            let bytes = try contents(url)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), String(decoding: want.content, as: UTF8.self),
                           artifact.path, file: file, line: line)
            XCTAssertEqual(bytes, want.content, artifact.path, file: file, line: line)
            XCTAssertEqual(artifact.bytes, Int64(bytes.count), artifact.path, file: file, line: line)
            XCTAssertEqual(artifact.sha256, try sha256sum(url), artifact.path, file: file, line: line)
            XCTAssertEqual(artifact.rows, want.rows, artifact.path, file: file, line: line)
            XCTAssertEqual(artifact.dataset, want.dataset, artifact.path, file: file, line: line)
            XCTAssertEqual(artifact.format, want.format, artifact.path, file: file, line: line)
            XCTAssertEqual(permissions(url), 0o600, artifact.path, file: file, line: line)
        }
    }

    private func table(_ rows: Int) -> [UInt8] { Array(ShopSource.expectedTable(rows: rows).utf8) }

    func testRunCommitsASetWithOneSourceNaming() throws {
        let repository = makeRepository()
        let journal = Journal()
        let fileBytes = Array("SQLite format 3\0 pretend".utf8)
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 7, tables: ["items", "orders"], fileBytes: fileBytes, journal: journal), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt", journal: journal))],
                      policies: [])
        let outcome = try engine(repository).run(job, options: RunOptions(time: time, command: "cadang run daily"))
        XCTAssertEqual(outcome.status, .success)
        let set = try committed(outcome)
        try assertArtifacts(set, [
            "items.txt": (table(7), 7, "items", "txt"),
            "orders.txt": (table(7), 7, "orders", "txt"),
            "kasir.db": (fileBytes, 3, "database", "sqlite"),
        ])
        XCTAssertEqual(set.manifest.job, "daily")
        XCTAssertEqual(set.manifest.tool, "cadang 0.0-test")
        XCTAssertEqual(set.manifest.sources, [Manifest.SourceEntry(name: "shop", plugin: "testshop", description: "shop with 2 table(s)")])
        XCTAssertEqual(set.manifest.warnings, [])
        XCTAssertEqual(set.time.timeIntervalSince1970, time.timeIntervalSince1970, accuracy: 1e-6)
        XCTAssertTrue(set.id.hasPrefix("20260131T160000.250000Z-"), set.id)
        XCTAssertEqual(repository.sets().map(\.id), [set.id])
        XCTAssertEqual(repository.sets().first?.manifest, set.manifest)
        XCTAssertEqual(listing(tmpFolder), [])
        XCTAssertEqual(journal.events, ["open *", "file", "table items", "writer lines items.txt", "table orders",
                                        "writer lines orders.txt", "close", "didCommit lines"])
        XCTAssertEqual(journal.committedSets.map(\.id), [set.id])
        // The lock is released after the run.
        try repository.lock(wait: nil, command: "after").release()
    }

    func testTwoSourcesQualifyPathsBySource() throws {
        let repository = makeRepository()
        let fileBytes: [UInt8] = [1, 2, 3, 4]
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 3, fileBytes: fileBytes), datasets: nil),
                                .init(name: "cafe", source: ShopSource(rows: 4), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))],
                      policies: [])
        let set = try committed(try engine(repository).run(job, options: RunOptions(time: time)))
        try assertArtifacts(set, [
            "shop.items.txt": (table(3), 3, "items", "txt"),
            "cafe.items.txt": (table(4), 4, "items", "txt"),
            "shop.kasir.db": (fileBytes, 3, "database", "sqlite"),
        ])
        XCTAssertEqual(set.manifest.sources.map(\.name), ["shop", "cafe"])
    }

    func testTwoSinksWithTheSameExtensionQualifyPathsBySink() throws {
        let repository = makeRepository()
        let journal = Journal()
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 5), datasets: nil)],
                      sinks: [.init(name: "left", component: LineSink(name: "left", fileExtension: "txt", journal: journal)),
                              .init(name: "right", component: LineSink(name: "right", fileExtension: "txt", journal: journal)),
                              .init(name: "other", component: LineSink(name: "other", fileExtension: "tsv", journal: journal)),
                              .init(name: "packer", component: LineSink(name: "packer", fileExtension: nil, journal: journal))],
                      policies: [])
        let set = try committed(try engine(repository).run(job, options: RunOptions(time: time)))
        try assertArtifacts(set, [
            "items.left.txt": (table(5), 5, "items", "txt"),
            "items.right.txt": (table(5), 5, "items", "txt"),
            "items.tsv": (table(5), 5, "items", "tsv"),
        ])
        XCTAssertEqual(journal.events.filter { $0.hasPrefix("didCommit") },
                       ["didCommit left", "didCommit right", "didCommit other", "didCommit packer"])
        XCTAssertFalse(journal.events.contains { $0.hasPrefix("writer packer") }, "a sink without an extension writes no tables")
    }

    func testManyRowsAcrossManyBatches() throws {
        let repository = makeRepository()
        var source = ShopSource(rows: 10_000)
        source.batchRows = 4096
        let job = Job(name: "big", sources: [.init(name: "shop", source: source, datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))], policies: [])
        let set = try committed(try engine(repository).run(job, options: RunOptions(time: time)))
        try assertArtifacts(set, ["items.txt": (table(10_000), 10_000, "items", "txt")])
    }

    func testSourceFailingMidTableLeavesNoSet() throws {
        let repository = makeRepository()
        let journal = Journal()
        let failing = Job(name: "daily",
                          sources: [.init(name: "shop", source: ShopSource(rows: 10, fileBytes: [9, 9], failAt: 5, journal: journal), datasets: nil)],
                          sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt", journal: journal))],
                          policies: [.init(name: "rec", component: RecordingPolicy(decision: .proceed, journal: journal))])
        let error = assertCadangError(.failure) { try engine(repository).run(failing, options: RunOptions(time: time)) }
        XCTAssertTrue(error?.message.contains("failed on purpose") ?? false)
        XCTAssertEqual(repository.sets().count, 0)
        XCTAssertEqual(listing(tmpFolder), [], "a failed run is discarded")
        XCTAssertTrue(journal.events.contains("close"), "the snapshot is closed after a failure")
        XCTAssertFalse(journal.events.contains { $0.hasPrefix("didCommit") || $0.hasPrefix("afterCommit") })
        XCTAssertEqual(journal.committedSets.count, 0)
        // The lock was released: the next run works, and leaves nothing behind either.
        let working = Job(name: "daily", sources: [.init(name: "shop", source: ShopSource(rows: 10), datasets: nil)],
                          sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))], policies: [])
        let set = try committed(try engine(repository).run(working, options: RunOptions(time: time)))
        XCTAssertEqual(repository.sets().map(\.id), [set.id])
        XCTAssertEqual(listing(tmpFolder), [])
        try assertArtifacts(set, ["items.txt": (table(10), 10, "items", "txt")])
    }

    func testNextRunSweepsLeftoversOfACrashedRun() throws {
        let repository = makeRepository()
        // A crash: a staged set that was never committed or discarded.
        let crashed = try repository.beginSet(job: "daily", time: time)
        let writer = try crashed.createArtifact(path: "items.txt", dataset: "items", format: "txt")
        writer.write("half")
        XCTAssertFalse(listing(tmpFolder).isEmpty)
        let job = Job(name: "daily", sources: [.init(name: "shop", source: ShopSource(rows: 2), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))], policies: [])
        let set = try committed(try engine(repository).run(job, options: RunOptions(time: time)))
        XCTAssertEqual(listing(tmpFolder), [])
        XCTAssertEqual(repository.sets().map(\.id), [set.id])
    }

    func testPolicySkipWritesNothingUnlessForced() throws {
        let repository = makeRepository()
        let journal = Journal()
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 3, journal: journal), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt", journal: journal))],
                      policies: [.init(name: "unchanged", component: RecordingPolicy(decision: .skip(reason: "unchanged since X"), journal: journal))])
        let outcome = try engine(repository).run(job, options: RunOptions(time: time))
        guard case .skipped(let reason) = outcome else { return XCTFail("expected skipped, got \(outcome)") }
        XCTAssertEqual(reason, "unchanged: unchanged since X")
        XCTAssertEqual(outcome.status, .success)
        XCTAssertEqual(repository.sets().count, 0)
        XCTAssertEqual(listing(tmpFolder), [])
        XCTAssertEqual(journal.events, ["beforeRun daily force=false"], "no source is opened and no sink runs")

        let forced = try engine(repository).run(job, options: RunOptions(time: time, force: true))
        let set = try committed(forced)
        XCTAssertEqual(repository.sets().map(\.id), [set.id])
        try assertArtifacts(set, ["items.txt": (table(3), 3, "items", "txt")])
        XCTAssertFalse(journal.events.contains("beforeRun daily force=true"), "forced runs do not ask the policy")
        XCTAssertEqual(journal.events.last, "afterCommit daily listed=true")
    }

    func testAfterCommitGetsTheCommittedSet() throws {
        let repository = makeRepository()
        let journal = Journal()
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 1), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt", journal: journal))],
                      policies: [.init(name: "first", component: RecordingPolicy(decision: .proceed, journal: journal)),
                                 .init(name: "second", component: RecordingPolicy(decision: .proceed, journal: journal))])
        let set = try committed(try engine(repository).run(job, options: RunOptions(time: time)))
        XCTAssertEqual(journal.events.filter { $0.hasPrefix("afterCommit") },
                       ["afterCommit daily listed=true", "afterCommit daily listed=true"])
        // didCommit (sink) first, then both policies.
        XCTAssertEqual(journal.committedSets.map(\.id), [set.id, set.id, set.id])
        XCTAssertEqual(journal.committedSets.last?.manifest, set.manifest)
        XCTAssertEqual(journal.events.prefix(2), ["beforeRun daily force=false", "beforeRun daily force=false"])
    }

    func testUnknownDatasetIsAUsageErrorAndWritesNoSet() throws {
        let repository = makeRepository()
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 3), datasets: ["nope"])],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))],
                      policies: [])
        let error = assertCadangError(.usage) { try engine(repository).run(job, options: RunOptions(time: time)) }
        XCTAssertTrue(error?.message.contains("nope") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("shop") ?? false, error?.message ?? "")
        XCTAssertEqual(repository.sets().count, 0)
        XCTAssertEqual(listing(tmpFolder), [])
    }

    func testDatasetSelectionNarrowsWhatIsWritten() throws {
        let repository = makeRepository()
        let journal = Journal()
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 2, tables: ["items", "orders"], fileBytes: [1], journal: journal),
                                      datasets: ["orders"])],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))],
                      policies: [])
        let set = try committed(try engine(repository).run(job, options: RunOptions(time: time)))
        try assertArtifacts(set, ["orders.txt": (table(2), 2, "orders", "txt")])
        XCTAssertEqual(journal.events.first, "open orders")
    }

    func testSkippedWarningMakesTheRunPartial() throws {
        let repository = makeRepository()
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 2, skippedWarning: "table secret skipped: no permission"), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))],
                      policies: [])
        let outcome = try engine(repository).run(job, options: RunOptions(time: time))
        XCTAssertEqual(outcome.status, .partial)
        guard case .committed(let set, let warnings, .partial) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(warnings, ["table secret skipped: no permission"])
        XCTAssertEqual(set.manifest.warnings, ["table secret skipped: no permission"])
        XCTAssertEqual(repository.sets().first?.manifest.warnings, ["table secret skipped: no permission"])
    }

    func testPlainWarningKeepsTheRunSuccessful() throws {
        let repository = makeRepository()
        let job = Job(name: "daily",
                      sources: [.init(name: "shop", source: ShopSource(rows: 2, plainWarning: "3 values repaired"), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))],
                      policies: [])
        let outcome = try engine(repository).run(job, options: RunOptions(time: time))
        XCTAssertEqual(outcome.status, .success)
        let set = try committed(outcome)
        XCTAssertEqual(set.manifest.warnings, ["3 values repaired"])
    }

    func testRunWhileLockedFailsWithLocked() throws {
        let repository = makeRepository()
        let holder = try repository.lock(wait: nil, command: "cadang prune")
        let job = Job(name: "daily", sources: [.init(name: "shop", source: ShopSource(rows: 2), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))], policies: [])
        let error = assertCadangError(.locked) { try engine(repository).run(job, options: RunOptions(time: time)) }
        XCTAssertTrue(error?.message.contains("cadang prune") ?? false)
        XCTAssertEqual(repository.sets().count, 0)
        holder.release()
        XCTAssertEqual(try engine(repository).run(job, options: RunOptions(time: time)).status, .success)
    }

    func testTwoRunsAtTheSameTimeMakeTwoSets() throws {
        let repository = makeRepository()
        let job = Job(name: "daily", sources: [.init(name: "shop", source: ShopSource(rows: 2), datasets: nil)],
                      sinks: [.init(name: "lines", component: LineSink(name: "lines", fileExtension: "txt"))], policies: [])
        let a = try committed(try engine(repository).run(job, options: RunOptions(time: time)))
        let b = try committed(try engine(repository).run(job, options: RunOptions(time: time)))
        XCTAssertNotEqual(a.id, b.id)
        XCTAssertEqual(Set(repository.sets().map(\.id)), [a.id, b.id])
    }
}
