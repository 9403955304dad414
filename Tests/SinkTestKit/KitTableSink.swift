import CadangCore

/// `sink-test-kit-table`: fills the sets the kit hands to whole-set sinks with table artifacts in a
/// format only the kit reads, so the round trip through a whole-set sink can be checked row by row
/// without the sink's author knowing that format.
///
/// One line per record, LF-terminated; cells separated by TAB. The first line holds the column
/// names as hex. A cell is `-` (NULL), `i<decimal>`, `r<16 hex digits of the bits>`, `t<hex of the
/// text's bytes as given>` or `b<hex>`: every value exactly, invalid UTF-8 included.
struct KitTableSink: Sink {
    static let descriptor = PluginDescriptor(kind: .sink, name: "sink-test-kit-table",
                                             summary: "The sink conformance kit's own table format.")
    static let fileExtension = "kit"
    static let rules = FormatRules(labels: .header(.name), nulls: .null, numbers: .typed, blobs: .bytes)

    init(configuration: PluginConfiguration) throws {}
    init() {}

    var fileExtension: String? { Self.fileExtension }

    func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        Writer(schema: schema, artifact: artifact)
    }

    final class Writer: TableWriter {
        private let artifact: ArtifactWriter

        init(schema: TableSchema, artifact: ArtifactWriter) {
            self.artifact = artifact
            artifact.write(schema.columns.map { hex($0.name.utf8) }.joined(separator: "\t") + "\n")
        }

        func write(_ batch: RowBatch) throws {
            batch.withBytes { arena in
                for row in 0..<batch.rowCount {
                    for column in 0..<batch.columnCount {
                        if column > 0 { artifact.write(9) }
                        switch batch.cell(row: row, column: column) {
                        case .null: artifact.write("-")
                        case .integer(let value): artifact.write("i\(value)")
                        case .real(let value): artifact.write("r" + bits(value))
                        case .text(let range): artifact.write("t" + hex(arena[range]))
                        case .blob(let range): artifact.write("b" + hex(arena[range]))
                        }
                    }
                    artifact.write(10)
                }
            }
        }

        func finish() throws {}
    }

    /// Parses the format back; a truncated or damaged file throws.
    static func read(_ bytes: [UInt8]) throws -> ReadTable {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.last == "" else { throw ReadFailure("the last record does not end with LF") }
        lines.removeLast()
        guard !lines.isEmpty else { throw ReadFailure("no header") }
        let header = try lines.removeFirst().split(separator: "\t").map { field -> String in
            guard let name = SinkTestKit.bytes(fromHex: String(field)) else { throw ReadFailure("bad header") }
            return String(decoding: name, as: UTF8.self)
        }
        let rows = try lines.map { line in
            ReadRow(try line.split(separator: "\t", omittingEmptySubsequences: false).map { cell -> ReadValue in
                let payload = String(cell.dropFirst())
                switch cell.first {
                case "-" where payload.isEmpty: return .null
                case "i": if let value = Int64(payload) { return .integer(value) }
                case "r": if payload.count == 16, let bits = UInt64(payload, radix: 16) { return .real(Double(bitPattern: bits)) }
                case "t": if let text = SinkTestKit.bytes(fromHex: payload) { return .text(String(decoding: text, as: UTF8.self)) }
                case "b": if let blob = SinkTestKit.bytes(fromHex: payload) { return .blob(blob) }
                default: break
                }
                throw ReadFailure("bad cell \(cell.prefix(40).debugDescription)")
            })
        }
        return ReadTable(header: header, rows: rows)
    }
}
