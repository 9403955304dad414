import CadangCore
import Foundation
import XCTest

/// What the parallel tests' plugins saw, from whichever thread: batches read, and the OS threads
/// (`/proc/thread-self`, e.g. `1234/task/1240`) writers ran on, so a test can check they are gone.
final class ThreadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reads = 0
    private var tasks: Set<String> = []
    private var writes: [String: Int] = [:]

    func read() { lock.withLock { reads += 1 } }
    func wrote(_ sink: String) {
        let task = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? "?"
        lock.withLock {
            tasks.insert(task)
            writes[sink, default: 0] += 1
        }
    }

    /// `read` calls the source answered.
    var batchesRead: Int { lock.withLock { reads } }
    /// Batches each sink's writer was given.
    var batchesWritten: [String: Int] { lock.withLock { writes } }
    /// The threads writers ran on, as `/proc/self/task/<id>` paths.
    var writerTasks: [String] {
        lock.withLock { tasks.map { "/proc/" + $0.replacingOccurrences(of: "^[0-9]+/", with: "self/", options: .regularExpression) } }
    }
}

/// The error the parallel tests' plugins throw: not a `CadangError`, so a test can tell that the
/// engine hands on a plugin's own error type unchanged.
struct ShelfError: Error, Equatable {
    var who: String
    var batch: Int
}

/// A source of one table `items` (id integer, word text, weight real, NULL every 5th row as
/// `note`) of `rows` rows in batches of `batchRows`; throws instead of reading batch `failAt`
/// (0-based) and logs every batch it reads.
struct CountingSource: Source {
    static let descriptor = PluginDescriptor(kind: .source, name: "counting", summary: "In-test counting source.")

    var rows: Int
    var batchRows: Int
    var failAt: Int?
    var log: ThreadLog

    init(rows: Int, batchRows: Int, failAt: Int? = nil, log: ThreadLog) {
        self.rows = rows
        self.batchRows = batchRows
        self.failAt = failAt
        self.log = log
    }

    init(configuration: PluginConfiguration) throws {
        rows = 1
        batchRows = 1
        log = ThreadLog()
    }

    func open(_ request: SourceRequest) throws -> any SourceSnapshot { CountingSnapshot(source: self) }

    static let columns = [Column("id", kind: .integer), Column("word"), Column("weight", kind: .real), Column("note")]

    /// The cells of row `index`, as the test sinks print them.
    static func line(_ index: Int) -> String {
        "\(index + 1)\t\(word(index))\t\(Double(index) / 4)\t\(index % 5 == 0 ? "NULL" : "n\(index)")\n"
    }

    static func word(_ index: Int) -> String { ["kopi", "teh manis", "gula \"pasir\"", "☕", ""][index % 5] + "\(index)" }
}

final class CountingSnapshot: SourceSnapshot {
    private let source: CountingSource
    private var emitted = false

    init(source: CountingSource) { self.source = source }

    var description: String { "counting \(source.rows) rows" }

    func nextDataset() throws -> Dataset? {
        guard !emitted else { return nil }
        emitted = true
        return .table(CountingTable(source: source))
    }

    func close() {}
}

final class CountingTable: TableReader {
    let schema = TableSchema(name: "items", columns: CountingSource.columns)
    private let source: CountingSource
    private var next = 0
    private var batches = 0

    init(source: CountingSource) { self.source = source }

    func read(into batch: inout RowBatch) throws -> Bool {
        if batches == source.failAt { throw ShelfError(who: "source", batch: batches) }
        batches += 1
        source.log.read()
        var added = 0
        while next < source.rows && added < source.batchRows {
            batch.append(Int64(next + 1))
            batch.append(CountingSource.word(next))
            batch.append(Double(next) / 4)
            batch.append(next % 5 == 0 ? nil : "n\(next)")
            next += 1
            added += 1
        }
        return next < source.rows
    }
}

/// A sink that prints each batch after a marker line `batch N: R rows` (so batch boundaries, order
/// and reuse of buffers show in the file). It can wait before each batch, to keep its thread busy
/// or make it the slower writer, and throw when given batch `failAt` (0-based), after `failDelay`.
struct BatchSink: Sink {
    static let descriptor = PluginDescriptor(kind: .sink, name: "batches", summary: "In-test batch-printing sink.")

    var name: String
    var fileExtension: String? { "txt" }
    var pause: useconds_t = 0
    var failAt: Int?
    var failDelay: useconds_t = 0
    var log = ThreadLog()

    init(name: String, pause: useconds_t = 0, failAt: Int? = nil, failDelay: useconds_t = 0, log: ThreadLog = ThreadLog()) {
        self.name = name
        self.pause = pause
        self.failAt = failAt
        self.failDelay = failDelay
        self.log = log
    }

    init(configuration: PluginConfiguration) throws {
        name = configuration.name
    }

    func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        BatchPrinter(sink: self, artifact: artifact)
    }

    /// The file the sink writes for `rows` rows of `CountingSource` read `batchRows` at a time,
    /// computed without the engine.
    static func expected(rows: Int, batchRows: Int) -> [UInt8] {
        var text = "id\tword\tweight\tnote\n"
        for (number, start) in stride(from: 0, to: rows, by: batchRows).enumerated() {
            let end = min(rows, start + batchRows)
            text += "batch \(number): \(end - start) rows\n"
            for index in start..<end { text += CountingSource.line(index) }
        }
        return Array((text + "end\n").utf8)
    }
}

final class BatchPrinter: TableWriter {
    private let sink: BatchSink
    private let artifact: ArtifactWriter
    private var batches = 0

    init(sink: BatchSink, artifact: ArtifactWriter) {
        self.sink = sink
        self.artifact = artifact
        artifact.write("id\tword\tweight\tnote\n")
    }

    func write(_ batch: RowBatch) throws {
        sink.log.wrote(sink.name)
        if sink.pause > 0 { usleep(sink.pause) }
        if batches == sink.failAt {
            if sink.failDelay > 0 { usleep(sink.failDelay) }
            throw ShelfError(who: sink.name, batch: batches)
        }
        artifact.write("batch \(batches): \(batch.rowCount) rows\n")
        batches += 1
        batch.withBytes { arena in
            for row in 0..<batch.rowCount {
                for column in 0..<batch.columnCount {
                    if column > 0 { artifact.write(UInt8(ascii: "\t")) }
                    switch batch.cell(row: row, column: column) {
                    case .null: artifact.write("NULL")
                    case .integer(let value): artifact.write(decimal: value)
                    case .real(let value): artifact.write(value.description)
                    case .text(let range), .blob(let range): artifact.write(UnsafeBufferPointer(rebasing: arena[range]))
                    }
                }
                artifact.write(UInt8(ascii: "\n"))
            }
        }
    }

    func finish() throws { artifact.write("end\n") }
}
