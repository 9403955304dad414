import CadangCore

/// Streams one table as CSV into an artifact, quoting only the fields that need it.
final class CSVTableWriter: TableWriter {
    private let format: CSVFormat
    private let artifact: ArtifactWriter
    private let warnings: WarningLog
    private let columns: [Int]
    private var text = TextCells()

    init(schema: TableSchema, format: CSVFormat, artifact: ArtifactWriter, warnings: WarningLog) {
        self.format = format
        self.artifact = artifact
        self.warnings = warnings
        columns = schema.columnIndices(for: .people)
        if format.byteOrderMark { artifact.write("\u{FEFF}") }
        if format.header {
            for (position, index) in columns.enumerated() {
                if position > 0 { artifact.write(format.delimiter) }
                var title = schema.columns[index].title
                title.withUTF8 { writeField($0, guardFormula: format.guardFormulas) }
            }
            endRecord()
        }
    }

    func write(_ batch: RowBatch) throws {
        let delimiter = format.delimiter
        // A record of one empty field would be a blank line, which readers skip: quote it instead.
        let single = columns.count == 1
        var text = self.text
        defer { self.text = text }
        batch.withBytes { arena in
            for row in 0..<batch.rowCount {
                var first = true
                for column in columns {
                    if !first { artifact.write(delimiter) }
                    first = false
                    switch batch.cell(row: row, column: column) {
                    case .null: if single { artifact.write("\"\"") }
                    case .integer(let value): artifact.write(decimal: value)
                    case .real(let value): artifact.write(real: value)
                    case .text(let range):
                        text.withValidUTF8(arena, range) { writeField($0, guardFormula: format.guardFormulas) }
                    case .blob(let range): artifact.writeBase64(UnsafeBufferPointer(rebasing: arena[range]))
                    }
                }
                endRecord()
            }
        }
    }

    func finish() throws {
        text.report(to: warnings, artifact: artifact.path)
    }

    private func endRecord() {
        if format.crlf { artifact.write(13) }
        artifact.write(10)
    }

    /// Writes one text field, quoted when it holds the delimiter, a quote, CR or LF (or leading or
    /// trailing spaces, which some readers trim), with formula-like text made inert on request.
    private func writeField(_ bytes: UnsafeBufferPointer<UInt8>, guardFormula: Bool) {
        let delimiter = format.delimiter
        var needsQuotes = bytes.isEmpty && columns.count == 1
        for byte in bytes where byte == delimiter || byte == 34 || byte == 10 || byte == 13 {
            needsQuotes = true
            break
        }
        if let first = bytes.first, let last = bytes.last, first == 32 || last == 32 { needsQuotes = true }
        if guardFormula && Self.looksLikeALongNumber(bytes) {
            // Excel would turn the barcode 089686611601 into 89686611601 or 8.97E+10; as the
            // formula ="089686611601" it shows the text exactly.
            artifact.write("\"=\"\"")
            artifact.write(bytes)
            artifact.write("\"\"\"")
            return
        }
        let guarded = guardFormula && bytes.count > 1 && Self.startsLikeFormula(bytes[0])
        if needsQuotes { artifact.write(34) }
        if guarded { artifact.write(39) }
        if needsQuotes {
            var start = 0
            for i in 0..<bytes.count where bytes[i] == 34 {
                artifact.write(UnsafeBufferPointer(rebasing: bytes[start...i]))
                artifact.write(34)
                start = i + 1
            }
            artifact.write(UnsafeBufferPointer(rebasing: bytes[start...]))
            artifact.write(34)
        } else {
            artifact.write(bytes)
        }
    }

    /// Digits only, and either a leading zero or more than 11 digits: text a spreadsheet would
    /// mangle as a number (barcodes, phone numbers).
    private static func looksLikeALongNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes[0] == 48 || bytes.count > 11 else { return false }
        for byte in bytes where byte < 48 || byte > 57 { return false }
        return true
    }

    /// `=`, `+`, `-`, `@`, tab, CR: what spreadsheets treat as the start of a formula.
    private static func startsLikeFormula(_ byte: UInt8) -> Bool {
        byte == 61 || byte == 43 || byte == 45 || byte == 64 || byte == 9 || byte == 13
    }
}
