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
        /// Not a mistake: the file is written by path at the end and recorded, as a library would.
        case writesByPath = "writes-by-path"
        /// The file is written by path at the end and never recorded.
        case writesByPathUnrecorded = "writes-by-path-unrecorded"
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
        private let out: LineOutput
        private let warnings: WarningLog
        private var text = TextCells()
        private var rowsSeen = 0
        private var firstBatch: Int?

        init(sink: LineSink, schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) {
            flaw = sink.flaw
            header = sink.header
            self.schema = schema
            self.artifact = artifact
            out = LineOutput(artifact, byPath: flaw == .writesByPath || flaw == .writesByPathUnrecorded)
            self.warnings = warnings
            var columns = sink.flaw == .ignoresAudience ? Array(schema.columns.indices) : schema.columnIndices(for: sink.audience)
            if sink.flaw == .dropsColumn { columns.removeLast() }
            self.columns = columns
            if flaw != .headerPerBatch && flaw != .writesNothing { writeHeader() }
        }

        private func writeHeader() {
            guard header else { return }
            for (position, column) in columns.enumerated() {
                if position > 0 { out.write(9) }
                var name = schema.columns[column].name
                name.withUTF8 { writeEscaped($0) }
            }
            out.write(10)
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
                        if position > 0 { out.write(9) }
                        switch batch.cell(row: row, column: column) {
                        case .null: out.write("\\N")
                        case .integer(let value): out.write(decimal: value)
                        case .real(let value): out.write(real: flaw == .manglesReals ? Double(Float(value)) : value)
                        case .text(let range):
                            if flaw == .skipsUTF8Check {
                                writeEscaped(UnsafeBufferPointer(rebasing: arena[range]))
                            } else {
                                text.withValidUTF8(arena, range) { writeEscaped($0) }
                            }
                        case .blob(let range): out.writeBase64(UnsafeBufferPointer(rebasing: arena[range]))
                        }
                    }
                    out.write(10)
                }
            }
        }

        func finish() throws {
            text.report(to: warnings, artifact: artifact.path)
            try out.finish(recording: flaw != .writesByPathUnrecorded)
        }

        private func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes {
                switch byte {
                case 92: out.write("\\\\")
                case 9: out.write("\\t")
                case 10: out.write("\\n")
                case 13: out.write("\\r")
                default: out.write(byte)
                }
            }
        }
    }
}

/// Where a `lines` writer puts its bytes: through the `ArtifactWriter`, or, for the by-path
/// flaws, into memory and then into the artifact's file by path at the end, as libxlsxwriter does.
final class LineOutput {
    private let artifact: ArtifactWriter
    private var buffered: [UInt8]?

    init(_ artifact: ArtifactWriter, byPath: Bool) {
        self.artifact = artifact
        buffered = byPath ? [] : nil
    }

    func write(_ byte: UInt8) {
        if buffered != nil { buffered!.append(byte) } else { artifact.write(byte) }
    }

    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        if buffered != nil { buffered!.append(contentsOf: bytes) } else { artifact.write(bytes) }
    }

    func write(_ string: String) {
        if buffered != nil { buffered!.append(contentsOf: string.utf8) } else { artifact.write(string) }
    }

    func write(decimal value: Int64) {
        if buffered != nil { buffered!.append(contentsOf: String(value).utf8) } else { artifact.write(decimal: value) }
    }

    func write(real value: Double) {
        if buffered != nil { buffered!.append(contentsOf: "\(value)".utf8) } else { artifact.write(real: value) }
    }

    func writeBase64(_ bytes: UnsafeBufferPointer<UInt8>) {
        if buffered != nil {
            buffered!.append(contentsOf: Data(bytes).base64EncodedString().utf8)
        } else {
            artifact.writeBase64(bytes)
        }
    }

    /// Writes the buffered file by path, and records it when asked.
    func finish(recording: Bool) throws {
        guard let buffered else { return }
        try Data(buffered).write(to: artifact.fileURL)
        if recording { try artifact.recordFileWrittenByPath() }
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
