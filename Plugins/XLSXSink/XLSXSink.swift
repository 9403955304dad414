import CadangCore

/// `xlsx`: one Excel workbook per table, written by libxlsxwriter in its constant-memory mode.
///
/// Cells are typed: integers and reals are numbers, text is text (never a formula, so `=1+1`,
/// barcodes and phone numbers stay exactly as stored), dates stay the text the source holds, NULL
/// and empty text are empty cells. The header row is bold, frozen and filtered; columns are sized
/// to what they hold. A table longer than a sheet continues on `name (2)`, `name (3)`, … each with
/// the header again. What a spreadsheet cannot hold is written as text rather than changed: an
/// integer beyond ±2^53 (a double would lose digits), a real beyond ±1e308 or not finite.
public struct XLSXSink: Sink {
    public static let descriptor = PluginDescriptor(
        kind: .sink, name: "xlsx",
        summary: "Writes each table as an Excel workbook (.xlsx): typed cells, bold frozen header with a filter, no formulas.",
        options: [])

    public init(configuration: PluginConfiguration) throws {}

    public var fileExtension: String? { "xlsx" }
    public var audience: Column.Audience { .people }

    public func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        try XLSXTableWriter(schema: schema, artifact: artifact, warnings: warnings, rowsPerSheet: XLSXSheetLimits.dataRows)
    }
}
