import CadangCore
import CXLSXWriter

/// Streams one table into a workbook, row by row as constant-memory mode requires, moving to a
/// new sheet (header repeated) every `rowsPerSheet` rows. The workbook is assembled by path when
/// the table is finished, and recorded with the artifact then.
final class XLSXTableWriter: TableWriter {
    private let schema: TableSchema
    private let columns: [Int]
    private let artifact: ArtifactWriter
    private let warnings: WarningLog
    private let rowsPerSheet: Int
    private let workbook: XLSXWorkbook
    private let sheetNames: XLSXSheetNames
    private var sheets: [UnsafeMutablePointer<lxw_worksheet>] = []
    /// The sheet being filled and its next row (0 is the header).
    private var sheet: UnsafeMutablePointer<lxw_worksheet>
    private var row = 0
    /// Widest value seen per column, in characters.
    private var widths: [Int]
    private var text = TextCells()
    private var cell = XLSXCellText()
    private var failure: lxw_error = LXW_NO_ERROR

    init(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog, rowsPerSheet: Int) throws {
        self.schema = schema
        self.artifact = artifact
        self.warnings = warnings
        self.rowsPerSheet = rowsPerSheet
        columns = schema.columnIndices(for: .people)
        guard columns.count <= Int(LXW_COL_MAX) else {
            throw CadangError(.failure, "table '\(schema.name)' has \(columns.count) columns; a sheet holds \(LXW_COL_MAX)",
                              fix: "export this table with the csv sink instead")
        }
        widths = columns.map { schema.columns[$0].title.count }
        workbook = try XLSXWorkbook(path: artifact.fileURL.path, temporaryFolder: artifact.fileURL.deletingLastPathComponent().path)
        sheetNames = XLSXSheetNames(table: schema.name)
        sheet = try workbook.addSheet(sheetNames.name(ofSheet: 1))
        try startSheet()
    }

    func write(_ batch: RowBatch) throws {
        let exact = XLSXSheetLimits.exactIntegers
        try batch.withBytes { arena in
            for source in 0..<batch.rowCount {
                if row > rowsPerSheet { try nextSheet() }
                let at = lxw_row_t(row)
                for (position, column) in columns.enumerated() {
                    let col = lxw_col_t(position)
                    let status: lxw_error
                    var width = 0
                    switch batch.cell(row: source, column: column) {
                    case .null:
                        status = worksheet_write_blank(sheet, at, col, workbook.emptyFormat)
                    case .integer(let value) where value >= -exact && value <= exact:
                        status = worksheet_write_number(sheet, at, col, Double(value), workbook.integerFormat)
                        width = Self.digits(value)
                    case .integer(let value):
                        status = writeASCII(at, col, &width) { $0.append(contentsOf: String(value).utf8) }
                    case .real(let value) where value.isFinite && value.magnitude <= 1e308:
                        status = worksheet_write_number(sheet, at, col, value, nil)
                        width = 12
                    case .real(let value):
                        status = writeASCII(at, col, &width) { $0.append(contentsOf: value.description.utf8) }
                    case .text(let range) where range.isEmpty:
                        status = worksheet_write_blank(sheet, at, col, workbook.emptyFormat)
                    case .text(let range):
                        status = text.withValidUTF8(arena, range) { bytes in
                            cell.prepare(bytes)
                            width = cell.characters
                            return writePrepared(at, col)
                        }
                    case .blob(let range):
                        status = writeASCII(at, col, &width) { out in
                            Base64.encode(UnsafeBufferPointer(rebasing: arena[range])) { out.append($0) }
                        }
                    }
                    if status != LXW_NO_ERROR && failure == LXW_NO_ERROR { failure = status }
                    if width > widths[position] { widths[position] = width }
                }
                row += 1
            }
        }
        if failure != LXW_NO_ERROR { throw workbook.error(failure, "write rows to") }
    }

    func finish() throws {
        endSheet()
        for sheet in sheets {
            for (position, width) in widths.enumerated() {
                // A little over the widest value, as Excel's double-click autofit leaves it.
                let fitted = min(Double(width) * 1.1 + 2, XLSXSheetLimits.widestColumn)
                worksheet_set_column(sheet, lxw_col_t(position), lxw_col_t(position), fitted, nil)
            }
        }
        try workbook.close()
        try artifact.recordFileWrittenByPath()
        text.report(to: warnings, artifact: artifact.path)
        if cell.cutCount > 0 {
            warnings.warn("\(artifact.path): \(cell.cutCount) cell(s) held more than Excel's \(XLSXSheetLimits.cellCharacters) characters and were cut there; the csv sink keeps them whole")
        }
    }

    /// Writes the header row and freezes it.
    private func startSheet() throws {
        sheets.append(sheet)
        for (position, column) in columns.enumerated() {
            var title = schema.columns[column].title
            let status = title.withUTF8 { bytes -> lxw_error in
                cell.prepare(bytes)
                return cell.bytes.withUnsafeBufferPointer { prepared in
                    prepared.withMemoryRebound(to: CChar.self) {
                        worksheet_write_string(sheet, 0, lxw_col_t(position), $0.baseAddress, workbook.headerFormat)
                    }
                }
            }
            guard status == LXW_NO_ERROR else { throw workbook.error(status, "write the header to") }
        }
        worksheet_freeze_panes(sheet, 1, 0)
        row = 1
    }

    /// Puts the filter over the sheet's rows.
    private func endSheet() {
        guard !columns.isEmpty else { return }
        worksheet_autofilter(sheet, 0, 0, lxw_row_t(row - 1), lxw_col_t(columns.count - 1))
    }

    private func nextSheet() throws {
        endSheet()
        sheet = try workbook.addSheet(sheetNames.name(ofSheet: sheets.count + 1))
        try startSheet()
    }

    private func writePrepared(_ at: lxw_row_t, _ col: lxw_col_t) -> lxw_error {
        cell.bytes.withUnsafeBufferPointer { prepared in
            prepared.withMemoryRebound(to: CChar.self) { worksheet_write_string(sheet, at, col, $0.baseAddress, nil) }
        }
    }

    private func writeASCII(_ at: lxw_row_t, _ col: lxw_col_t, _ width: inout Int, _ fill: (inout [UInt8]) -> Void) -> lxw_error {
        cell.prepareASCII(fill)
        width = cell.characters
        return writePrepared(at, col)
    }

    /// Characters of `value` in decimal.
    private static func digits(_ value: Int64) -> Int {
        var magnitude = value.magnitude
        var count = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            count += 1
        }
        return count
    }
}
