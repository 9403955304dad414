import CadangCore

/// Streams one table as JSON objects into an artifact. Keys are escaped once, up front.
final class JSONTableWriter: TableWriter {
    private let lines: Bool
    private let artifact: ArtifactWriter
    private let warnings: WarningLog
    private let columns: [Int]
    /// `"key":` for the first column, `,"key":` for the others, all in one array so the cell loop
    /// indexes ranges instead of retaining one array per cell.
    private let keyBytes: [UInt8]
    private let keyRanges: [Range<Int>]
    private var text = TextCells()
    private var rowsWritten = 0
    private var nonFinite = 0

    init(schema: TableSchema, lines: Bool, artifact: ArtifactWriter, warnings: WarningLog) {
        self.lines = lines
        self.artifact = artifact
        self.warnings = warnings
        columns = schema.columnIndices(for: .programs)
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for (position, index) in columns.enumerated() {
            let start = bytes.count
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONEscaping.appendString(Array(schema.columns[index].name.utf8), to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            ranges.append(start..<bytes.count)
        }
        keyBytes = bytes
        keyRanges = ranges
        if !lines { artifact.write(UInt8(ascii: "[")) }
    }

    func write(_ batch: RowBatch) throws {
        var text = self.text
        defer { self.text = text }
        let keyRanges = self.keyRanges
        keyBytes.withUnsafeBufferPointer { keys in
            batch.withBytes { arena in
                for row in 0..<batch.rowCount {
                    if !lines { artifact.write(rowsWritten == 0 ? "\n" : ",\n") }
                    artifact.write(UInt8(ascii: "{"))
                    for (position, column) in columns.enumerated() {
                        artifact.write(UnsafeBufferPointer(rebasing: keys[keyRanges[position]]))
                        writeValue(batch.cell(row: row, column: column), arena: arena, text: &text)
                    }
                    artifact.write(UInt8(ascii: "}"))
                    if lines { artifact.write(10) }
                    rowsWritten += 1
                }
            }
        }
    }

    @inline(__always)
    private func writeValue(_ cell: Cell, arena: UnsafeBufferPointer<UInt8>, text: inout TextCells) {
        switch cell {
        case .null: artifact.write("null")
        case .integer(let value): artifact.write(decimal: value)
        case .real(let value):
            if value.isFinite {
                artifact.write(real: value)
            } else {
                nonFinite += 1
                artifact.write("null")
            }
        case .text(let range):
            text.withValidUTF8(arena, range) { JSONEscaping.writeString($0, to: artifact) }
        case .blob(let range):
            artifact.write(34)
            artifact.writeBase64(UnsafeBufferPointer(rebasing: arena[range]))
            artifact.write(34)
        }
    }

    func finish() throws {
        if !lines { artifact.write(rowsWritten == 0 ? "]\n" : "\n]\n") }
        text.report(to: warnings, artifact: artifact.path)
        if nonFinite > 0 {
            warnings.warn("\(artifact.path): \(nonFinite) infinite or NaN number(s) have no JSON form and were written as null")
        }
    }
}
