import CadangCore
import Foundation
import SinkTestKit

/// `lines`: the kit's test sink. Correct by default; its `flaw` option breaks it in exactly one of
/// the ways the kit must catch.
///
/// Format: a header of the column names, then one line per row, LF-terminated; cells separated by
/// TAB; NULL as `\N`; integers in decimal; reals in shortest round-trip form; text (invalid UTF-8
/// replaced, with a warning) with `\` TAB LF CR escaped as `\\` `\t` `\n` `\r`; blobs in base64.
struct LineSink: Sink {
    enum Flaw: String, CaseIterable {
        case none
        case dropsColumn = "drops-column"
        case reordersRows = "reorders-rows"
        case losesRows = "loses-rows"
        case manglesReals = "mangles-reals"
        case ignoresAudience = "ignores-audience"
        case writesNothing = "writes-nothing"
        case headerPerBatch = "header-per-batch"
        case losesShortBatch = "loses-short-batch"
        case skipsUTF8Check = "skips-utf8-check"
    }

    static let descriptor = PluginDescriptor(kind: .sink, name: "lines", summary: "Tab-separated lines with escapes (the kit's test sink).", options: [
        OptionSpec("audience", .choice(["people", "programs", "everyone"]), default: .string("people"), doc: "Whose columns it carries."),
        OptionSpec("flaw", .choice(Flaw.allCases.map(\.rawValue)), default: .string("none"), doc: "The mistake it makes on purpose."),
        OptionSpec("header", .boolean, default: .boolean(true), doc: "Start with the header line."),
    ])

    let flaw: Flaw
    let audience: Column.Audience
    let header: Bool

    init(configuration: PluginConfiguration) throws {
        flaw = Flaw(rawValue: configuration.options.string("flaw") ?? "none") ?? .none
        header = configuration.options.bool("header") ?? true
        switch configuration.options.string("audience") {
        case "programs": audience = .programs
        case "everyone": audience = .everyone
        default: audience = .people
        }
    }

    var fileExtension: String? { "lines" }

    func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        Writer(sink: self, schema: schema, artifact: artifact, warnings: warnings)
    }

    final class Writer: TableWriter {
        private let flaw: Flaw
        private let header: Bool
        private let schema: TableSchema
        private let columns: [Int]
        private let artifact: ArtifactWriter
        private let warnings: WarningLog
        private var text = TextCells()
        private var rowsSeen = 0
        private var firstBatch: Int?

        init(sink: LineSink, schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) {
            flaw = sink.flaw
            header = sink.header
            self.schema = schema
            self.artifact = artifact
            self.warnings = warnings
            var columns = sink.flaw == .ignoresAudience ? Array(schema.columns.indices) : schema.columnIndices(for: sink.audience)
            if sink.flaw == .dropsColumn { columns.removeLast() }
            self.columns = columns
            if flaw != .headerPerBatch && flaw != .writesNothing { writeHeader() }
        }

        private func writeHeader() {
            guard header else { return }
            for (position, column) in columns.enumerated() {
                if position > 0 { artifact.write(9) }
                var name = schema.columns[column].name
                name.withUTF8 { writeEscaped($0) }
            }
            artifact.write(10)
        }

        func write(_ batch: RowBatch) throws {
            switch flaw {
            case .writesNothing: return
            case .headerPerBatch: writeHeader()
            case .losesShortBatch:
                // The bug: a batch smaller than the first is taken for the end of the table.
                if let first = firstBatch, batch.rowCount < first { return }
                if firstBatch == nil { firstBatch = batch.rowCount }
            default: break
            }
            let order = flaw == .reordersRows ? Array((0..<batch.rowCount).reversed()) : Array(0..<batch.rowCount)
            batch.withBytes { arena in
                for row in order {
                    rowsSeen += 1
                    if flaw == .losesRows && rowsSeen % 50 == 0 { continue }
                    for (position, column) in columns.enumerated() {
                        if position > 0 { artifact.write(9) }
                        switch batch.cell(row: row, column: column) {
                        case .null: artifact.write("\\N")
                        case .integer(let value): artifact.write(decimal: value)
                        case .real(let value): artifact.write(real: flaw == .manglesReals ? Double(Float(value)) : value)
                        case .text(let range):
                            if flaw == .skipsUTF8Check {
                                writeEscaped(UnsafeBufferPointer(rebasing: arena[range]))
                            } else {
                                text.withValidUTF8(arena, range) { writeEscaped($0) }
                            }
                        case .blob(let range): artifact.writeBase64(UnsafeBufferPointer(rebasing: arena[range]))
                        }
                    }
                    artifact.write(10)
                }
            }
        }

        func finish() throws {
            text.report(to: warnings, artifact: artifact.path)
        }

        private func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes {
                switch byte {
                case 92: artifact.write("\\\\")
                case 9: artifact.write("\\t")
                case 10: artifact.write("\\n")
                case 13: artifact.write("\\r")
                default: artifact.write(byte)
                }
            }
        }
    }
}

/// Reads `lines` files back, strictly, in Swift: the kit's tests need no Python.
struct LineReader: ExportReader {
    /// Whether the first line is the header (the sink's `header` option).
    var header = true
    var rules = FormatRules(labels: .header(.name), nulls: .null, numbers: .text, blobs: .base64Text)

    /// A reader for files with or without the header line.
    init(header: Bool = true) {
        self.header = header
        if !header { rules.labels = .none }
    }

    func read(_ url: URL) throws -> ReadTable {
        let bytes = Array(try Data(contentsOf: url))
        guard !bytes.isEmpty else { return ReadTable(header: nil, rows: []) }
        guard bytes.last == 10 else { throw ReadFailure("the last line does not end with LF") }
        var lines = try bytes.dropLast().split(separator: 10, omittingEmptySubsequences: false).map { line in
            try line.split(separator: 9, omittingEmptySubsequences: false).map(field)
        }
        guard header else { return ReadTable(header: nil, rows: lines.map(ReadRow.init)) }
        let names = try lines.removeFirst().map { value -> String in
            guard case .text(let name) = value else { throw ReadFailure("a NULL in the header") }
            return name
        }
        return ReadTable(header: names, rows: lines.map(ReadRow.init))
    }

    private func field(_ bytes: ArraySlice<UInt8>) throws -> ReadValue {
        if bytes.elementsEqual("\\N".utf8) { return .null }
        var out: [UInt8] = []
        var escaped = false
        for byte in bytes {
            if escaped {
                switch byte {
                case 92: out.append(92)
                case 116: out.append(9)
                case 110: out.append(10)
                case 114: out.append(13)
                default: throw ReadFailure("unknown escape \\\(UnicodeScalar(byte))")
                }
                escaped = false
            } else if byte == 92 {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        guard !escaped else { throw ReadFailure("a field ends in a lone backslash") }
        guard let text = String(validating: out, as: UTF8.self) else { throw ReadFailure("invalid UTF-8 in \(hex(out))") }
        return .text(text)
    }
}
