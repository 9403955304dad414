import CadangCore
import Foundation
import PostgresSupport

/// Streams one table's batches into its COPY; at the end, writes the receipt into the artifact.
///
/// Cells go from the batch's arena straight into the binary COPY buffer, in their column type's
/// binary form (the server parses no text), so nothing is allocated per row; per-column counts
/// of cells that did not fit are reported once, in `finish`.
final class PostgresTableWriter: TableWriter {
    let run: PostgresSinkRun
    let layout: PostgresTableLayout
    private let artifact: ArtifactWriter
    private let warnings: WarningLog
    /// The open COPY; nil when the set was loaded earlier (nothing is written) or once ended.
    private var copy: PostgresBinaryCopyWriter?
    private var text = TextCells()
    private var rows: Int64 = 0
    /// Cells stored as NULL because they did not fit their column's type, by column position.
    private var unfit: [Int]
    /// Blobs in text columns, stored as base64.
    private var blobsAsText = 0
    /// Reused for each blob's base64 form.
    private var base64 = [UInt8]()

    init(run: PostgresSinkRun, layout: PostgresTableLayout, artifact: ArtifactWriter, warnings: WarningLog, copy: PostgresBinaryCopyWriter?) {
        self.run = run
        self.layout = layout
        self.artifact = artifact
        self.warnings = warnings
        self.copy = copy
        unfit = Array(repeating: 0, count: layout.columns.count)
    }

    func write(_ batch: RowBatch) throws {
        guard var copy = self.copy else {
            rows += Int64(batch.rowCount)
            return
        }
        // Moved out, not copied: the stored one is cleared so the buffer stays uniquely referenced
        // (no copy-on-write), and stored properties are not touched per cell.
        self.copy = nil
        var text = self.text
        var unfit = self.unfit
        var blobsAsText = self.blobsAsText
        var rows = self.rows
        var base64 = self.base64
        defer {
            self.base64 = base64
            self.copy = copy
            self.text = text
            self.unfit = unfit
            self.blobsAsText = blobsAsText
            self.rows = rows
        }
        let prefix = run.rowPrefix
        let columns = layout.columns
        let types = layout.types
        let fields = layout.fieldCount
        try prefix.withUnsafeBytes { prefix in
            try batch.withBytes { arena in
                for row in 0..<batch.rowCount {
                    rows += 1
                    try copy.beginRow(fields: fields)
                    copy.append(encoded: prefix)
                    copy.append(int64: rows)
                    for (position, column) in columns.enumerated() {
                        let cell = batch.cell(row: row, column: column)
                        switch (types[position], cell) {
                        case (_, .null):
                            copy.appendNull()
                        case (.bigint, .integer(let value)):
                            copy.append(int64: value)
                        case (.bigint, .real(let value)):
                            if let whole = Int64(exactly: value) { copy.append(int64: whole) } else {
                                copy.appendNull()
                                unfit[position] += 1
                            }
                        case (.double, .real(let value)):
                            copy.append(float64: value)
                        case (.double, .integer(let value)):
                            if let real = Double(exactly: value) { copy.append(float64: real) } else {
                                copy.appendNull()
                                unfit[position] += 1
                            }
                        case (.text, .integer(let value)):
                            copy.append(decimalText: value)
                        case (.text, .real(let value)):
                            // As the text exports write it (`44000.0`), so a real stays a real to the eye.
                            copy.append(realText: value)
                        case (.text, .text(let range)):
                            text.withValidUTF8(arena, range) { copy.append(text: UnsafeRawBufferPointer($0)) }
                        case (.text, .blob(let range)):
                            base64.removeAll(keepingCapacity: true)
                            Base64.encode(UnsafeBufferPointer(rebasing: arena[range])) { base64.append($0) }
                            base64.withUnsafeBytes { copy.append(text: $0) }
                            blobsAsText += 1
                        case (.bytea, .blob(let range)), (.bytea, .text(let range)):
                            copy.append(bytea: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: arena[range])))
                        case (.bigint, _), (.double, _), (.bytea, _):
                            copy.appendNull()
                            unfit[position] += 1
                        }
                    }
                }
            }
        }
    }

    func finish() throws {
        var stored = Int(rows)
        if var copy {
            self.copy = nil
            stored = try run.finish(self, copy: &copy)
            if copy.replacedNULs > 0 {
                warnings.warn("\(layout.schema).\(layout.table): \(copy.replacedNULs) NUL character(s) in text, which PostgreSQL cannot store, were stored as U+FFFD")
            }
            if copy.oversizedFields > 0 {
                warnings.skipped("\(layout.schema).\(layout.table): \(copy.oversizedFields) value(s) of 1 GB or more, which PostgreSQL cannot store, were stored as NULL (the set's other exports keep them)")
            }
        }
        text.report(to: warnings, artifact: "\(layout.schema).\(layout.table)")
        if blobsAsText > 0 {
            warnings.warn("\(layout.schema).\(layout.table): \(blobsAsText) blob(s) in text columns were stored as base64")
        }
        for (position, count) in unfit.enumerated() where count > 0 {
            warnings.skipped("\(layout.schema).\(layout.table): \(count) value(s) of column '\(layout.names[position])' did not fit \(layout.types[position].rawValue) and were stored as NULL (the set's other exports keep them)")
        }
        writeReceipt(rows: stored)
    }

    /// Aborts the COPY, for a rollback in the middle of the table.
    func abort(on connection: PostgresConnection) {
        guard var copy else { return }
        self.copy = nil
        connection.abortCopyIn(&copy, because: CadangError(.failure, "the run was rolled back"))
    }

    /// One JSON line, keys sorted, the same bytes for the same table and rows whatever the batches.
    private func writeReceipt(rows: Int) {
        func quoted(_ text: String) -> String {
            // JSONSerialization of a one-element array: a correctly escaped string, without the brackets.
            let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        }
        artifact.write("{\"rows\":\(rows),\"schema\":\(quoted(layout.schema)),\"source\":\(quoted(run.source)),\"table\":\(quoted(layout.table))}\n")
    }
}
