import CadangCore
import Foundation

/// `sample`: deterministic generated tables (and optionally a file), for end-to-end tests and
/// benchmarks. Declared in the test tree: it is the proof that a plugin is one file plus one line.
struct SampleSource: Source {
    static let descriptor = PluginDescriptor(
        kind: .source, name: "sample",
        summary: "Generates deterministic rows of every value type (tests and benchmarks only).",
        options: [
            OptionSpec("rows", .integer, default: .integer(1000), doc: "Rows per table."),
            OptionSpec("columns", .integer, default: .integer(12), doc: "Columns per table (at least 1)."),
            OptionSpec("tables", .stringList, default: .list(["items"]), doc: "Names of the tables to emit."),
            OptionSpec("file_bytes", .integer, default: .integer(0), doc: "Also emit a file dataset 'blob' of this many bytes."),
            OptionSpec("delay", .duration, default: .duration(0), doc: "Pause after each batch (to let tests interrupt a run)."),
            OptionSpec("fail_after", .integer, doc: "Throw after this many rows, to test failed runs."),
            OptionSpec("seed", .integer, default: .integer(1), doc: "Changes the generated values."),
            OptionSpec("skip_one", .boolean, default: .boolean(false), doc: "Report one skipped item, so the run ends partial (exit 3)."),
        ])

    let rows: Int
    let columns: Int
    let tables: [String]
    let fileBytes: Int
    let delay: Double
    let failAfter: Int?
    let seed: Int64
    let skipOne: Bool

    init(configuration: PluginConfiguration) throws {
        let options = configuration.options
        rows = Int(options.integer("rows") ?? 1000)
        columns = max(1, Int(options.integer("columns") ?? 12))
        tables = options.list("tables") ?? ["items"]
        fileBytes = Int(options.integer("file_bytes") ?? 0)
        delay = options.duration("delay") ?? 0
        failAfter = options.integer("fail_after").map(Int.init)
        seed = options.integer("seed") ?? 1
        skipOne = options.bool("skip_one") ?? false
    }

    func open(_ request: SourceRequest) throws -> any SourceSnapshot {
        if skipOne { request.warnings.skipped("sample: one item skipped, as asked") }
        return SampleSnapshot(source: self, request: request)
    }
}

final class SampleSnapshot: SourceSnapshot {
    private let source: SampleSource
    private let request: SourceRequest
    private var pending: [String]
    private var fileDone: Bool

    init(source: SampleSource, request: SourceRequest) {
        self.source = source
        self.request = request
        pending = source.tables.filter { request.wants($0) }
        fileDone = source.fileBytes == 0 || !request.wants("blob")
    }

    var description: String { "sample: \(source.tables.count) table(s) × \(source.rows) rows, seed \(source.seed)" }

    func nextDataset() throws -> Dataset? {
        if !fileDone {
            fileDone = true
            let url = request.scratchDirectory.appendingPathComponent("blob.bin")
            var bytes = [UInt8](repeating: 0, count: source.fileBytes)
            var state = UInt64(bitPattern: source.seed) &* 0x9E37_79B9_7F4A_7C15
            for i in bytes.indices {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes[i] = UInt8(truncatingIfNeeded: state >> 33)
            }
            try Data(bytes).write(to: url)
            return .file(FileDataset(name: "blob", fileName: "blob.bin", format: "binary", url: url))
        }
        guard !pending.isEmpty else { return nil }
        return .table(SampleTable(name: pending.removeFirst(), source: source))
    }

    func close() {}
}

final class SampleTable: TableReader {
    let schema: TableSchema
    private let source: SampleSource
    private var next = 0
    private let words = ["kopi", "teh, manis", "gula \"pasir\"", "beras\n5kg", "=1+1", "🛒 belanja", "", "-"]

    init(name: String, source: SampleSource) {
        self.source = source
        let kinds: [ValueKind] = [.integer, .text, .real, .integer, .text, .real]
        schema = TableSchema(name: name, columns: (0..<source.columns).map { index in
            index == 0 ? Column("id", title: "ID", kind: .integer) : Column("c\(index)", title: "Column \(index)", kind: kinds[index % kinds.count])
        })
    }

    func read(into batch: inout RowBatch) throws -> Bool {
        while next < source.rows && !batch.isFull {
            if let limit = source.failAfter, next >= limit {
                throw CadangError(.failure, "sample source failed on purpose after \(limit) rows")
            }
            let row = Int64(next) &+ source.seed &* 1_000_003
            batch.append(Int64(next + 1))
            for column in 1..<source.columns {
                switch column % 6 {
                case 1, 4: batch.append(words[Int((row &+ Int64(column)) % Int64(words.count))])
                case 2: batch.append(Double(row) * 1.25 + 0.1)
                case 3: if row % 7 == 0 { batch.appendNull() } else { batch.append(row &* 31) }
                case 5: batch.append(Double(row % 1000) / 3)
                default: batch.append(row)
                }
            }
            next += 1
        }
        if source.delay > 0 { usleep(useconds_t(source.delay * 1_000_000)) }
        return next < source.rows
    }
}
