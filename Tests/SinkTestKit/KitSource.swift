import CadangCore
import Foundation

/// `sink-test-kit`: the source of the kit's runs. It emits the given tables, handing the engine
/// at most `batchSize` rows per read, so that a sink sees exactly the batch boundaries under test,
/// and optionally a file dataset (as a database snapshot would be).
struct KitSource: Source {
    static let descriptor = PluginDescriptor(kind: .source, name: "sink-test-kit", summary: "The sink conformance kit's known rows.")

    let tables: [KitTable]
    let batchSize: Int
    let file: [UInt8]?

    init(configuration: PluginConfiguration) throws {
        tables = [KitTable.mixed]
        batchSize = 4096
        file = nil
    }

    init(tables: [KitTable], batchSize: Int, file: [UInt8]? = nil) {
        self.tables = tables
        self.batchSize = max(1, batchSize)
        self.file = file
    }

    func open(_ request: SourceRequest) throws -> any SourceSnapshot {
        Snapshot(source: self, scratch: request.scratchDirectory)
    }

    final class Snapshot: SourceSnapshot {
        private let source: KitSource
        private let scratch: URL
        private var next = 0
        private var fileDone: Bool

        init(source: KitSource, scratch: URL) {
            self.source = source
            self.scratch = scratch
            fileDone = source.file == nil
        }

        var description: String { "sink-test-kit: \(source.tables.map(\.schema.name).joined(separator: ", ")) in batches of \(source.batchSize)" }

        func nextDataset() throws -> Dataset? {
            if !fileDone, let bytes = source.file {
                fileDone = true
                let url = scratch.appendingPathComponent("kit.bin")
                try Data(bytes).write(to: url)
                return .file(FileDataset(name: "snapshot", fileName: "kit.bin", format: "binary", url: url))
            }
            guard next < source.tables.count else { return nil }
            next += 1
            return .table(Rows(table: source.tables[next - 1], batchSize: source.batchSize))
        }

        func close() {}
    }

    /// Streams one table's rows, `batchSize` at a time.
    final class Rows: TableReader {
        let schema: TableSchema
        private let rows: [[TestValue]]
        private let batchSize: Int
        private var position = 0

        init(table: KitTable, batchSize: Int) {
            schema = table.schema
            rows = table.rows
            self.batchSize = batchSize
        }

        func read(into batch: inout RowBatch) throws -> Bool {
            let end = min(rows.count, position + min(batchSize, batch.capacity))
            for row in rows[position..<end] {
                for value in row { batch.appendValue(value) }
            }
            position = end
            return position < rows.count
        }
    }
}
