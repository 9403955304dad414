import CadangCore

/// `tsv`: one tab-separated file per table, for people: the column titles, then one line per row.
///
/// Format: fields separated by TAB, records ended by LF; NULL as `\N`; integers in decimal; reals
/// in shortest round-trip form (`0.1`, `-0.0`, `1e-300`); blobs in base64; text as UTF-8 (invalid
/// bytes replaced with U+FFFD, with a warning) with `\`, TAB, LF and CR written as `\\`, `\t`,
/// `\n` and `\r`, so that a record is always exactly one line.
public struct TSVSink: Sink {
    /// Name, summary and options: `cadang plugins`, `cadang config check` and Docs/configuration.md come from here.
    public static let descriptor = PluginDescriptor(
        kind: .sink, name: "tsv",
        summary: "Writes each table as tab-separated values (NULL as \\N; backslash, tab and line breaks escaped).",
        options: [
            OptionSpec("header", .boolean, default: .boolean(true), doc: "Write the column titles as the first line."),
        ])

    let header: Bool

    /// Builds the sink from options the config loader has validated and filled with defaults.
    public init(configuration: PluginConfiguration) throws {
        header = configuration.options.bool("header") ?? true
    }

    /// One `.tsv` artifact per table.
    public var fileExtension: String? { "tsv" }
    /// Spreadsheet users read it, so it carries the columns meant for people.
    public var audience: Column.Audience { .people }

    /// Starts one table's file.
    public func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        TSVTableWriter(schema: schema, header: header, artifact: artifact, warnings: warnings)
    }
}

/// Streams one table into its artifact. Per-table state lives here; rows go from the batch's
/// byte arena straight into the artifact's buffer, so nothing is allocated per row.
final class TSVTableWriter: TableWriter {
    private let columns: [Int]
    private let artifact: ArtifactWriter
    private let warnings: WarningLog
    /// Repairs invalid UTF-8 through one reusable buffer, and counts the cells it repaired.
    private var text = TextCells()

    init(schema: TableSchema, header: Bool, artifact: ArtifactWriter, warnings: WarningLog) {
        // Exactly the columns of the sink's audience, in the schema's order.
        columns = schema.columnIndices(for: .people)
        self.artifact = artifact
        self.warnings = warnings
        // The header is written once, here, not per batch: batch boundaries must not show.
        if header {
            for (position, column) in columns.enumerated() {
                if position > 0 { artifact.write(9) }
                var title = schema.columns[column].title
                title.withUTF8 { writeEscaped($0) }
            }
            artifact.write(10)
        }
    }

    func write(_ batch: RowBatch) throws {
        // A local copy of the repair state: mutating a stored property inside the row loop would
        // cost an exclusivity check per cell.
        var text = self.text
        defer { self.text = text }
        batch.withBytes { arena in
            for row in 0..<batch.rowCount {
                for (position, column) in columns.enumerated() {
                    if position > 0 { artifact.write(9) }
                    switch batch.cell(row: row, column: column) {
                    case .null: artifact.write("\\N")
                    case .integer(let value): artifact.write(decimal: value)
                    case .real(let value): artifact.write(real: value)
                    case .text(let range): text.withValidUTF8(arena, range) { writeEscaped($0) }
                    case .blob(let range): artifact.writeBase64(UnsafeBufferPointer(rebasing: arena[range]))
                    }
                }
                artifact.write(10)
            }
        }
    }

    func finish() throws {
        // One warning per file, naming it, if any text had to be repaired.
        text.report(to: warnings, artifact: artifact.path)
    }

    /// Writes text with `\`, TAB, LF and CR escaped, copying the runs between them in one go.
    private func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0..<bytes.count {
            let code: UInt8
            switch bytes[index] {
            case 92: code = 92    // \ → \\
            case 9: code = 116    // TAB → \t
            case 10: code = 110   // LF → \n
            case 13: code = 114   // CR → \r
            default: continue
            }
            artifact.write(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            artifact.write(92)
            artifact.write(code)
            start = index + 1
        }
        artifact.write(UnsafeBufferPointer(rebasing: bytes[start...]))
    }
}
