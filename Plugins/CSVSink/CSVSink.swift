import CadangCore

/// `csv`: one RFC 4180 file per table, optionally in the spreadsheet-safe Excel profile.
public struct CSVSink: Sink {
    public static let descriptor = PluginDescriptor(
        kind: .sink, name: "csv",
        summary: "Writes each table as an RFC 4180 CSV file (Excel profile: BOM, CRLF, formula guard).",
        options: [
            OptionSpec("excel", .boolean, default: .boolean(false),
                       doc: "Excel profile: UTF-8 BOM, CRLF; text cells starting with = + - @ tab or CR prefixed with ' so spreadsheets do not run them; digit-only text with a leading zero or over 11 digits (barcodes) written as =\"…\" so it stays text."),
            OptionSpec("bom", .boolean,
                       doc: "Start the file with a UTF-8 byte order mark (default: on with excel, else off)."),
            OptionSpec("line_ending", .choice(["crlf", "lf"]),
                       doc: "Record separator (default: crlf, as RFC 4180 says)."),
            OptionSpec("delimiter", .choice([",", ";", "tab"]), default: .string(","),
                       doc: "Field separator; ';' suits spreadsheets set to a comma decimal separator."),
            OptionSpec("header", .boolean, default: .boolean(true), doc: "Write the column titles as the first record."),
        ])

    let format: CSVFormat

    public init(configuration: PluginConfiguration) throws {
        let options = configuration.options
        let excel = options.bool("excel") ?? false
        format = CSVFormat(
            delimiter: options.string("delimiter").map { $0 == "tab" ? 9 : UInt8($0.utf8.first!) } ?? UInt8(ascii: ","),
            crlf: (options.string("line_ending") ?? "crlf") == "crlf",
            byteOrderMark: options.bool("bom") ?? excel,
            guardFormulas: excel,
            header: options.bool("header") ?? true)
    }

    public var fileExtension: String? { "csv" }
    public var audience: Column.Audience { .people }

    public func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        CSVTableWriter(schema: schema, format: format, artifact: artifact, warnings: warnings)
    }
}
