import CadangCore
import Foundation
import SinkTestKit
import XCTest
import XLSXSink

/// The `xlsx` sink through the conformance kit, its workbooks read back by a strict reader of the
/// OOXML files in Python (zipfile and ElementTree, no spreadsheet library), and at Excel's row
/// limit, where a table continues on a second sheet.
final class XLSXSinkTests: XCTestCase {
    private var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-xlsx-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    func testXLSXSinkPassesTheKit() {
        let kit = SinkConformance(harness: SinkHarness(root: root))
        XCTAssertEqual(kit.problems(of: XLSXSink.self, reader: XLSXReader()), [])
    }

    func testTextThatLooksLikeAnEscapeOrHoldsNULComesBackAsSent() throws {
        let texts = ["_x0041_", "a_x005F_b", "nul\u{0}inside", "_x12_", "=SUM(A1:A2)", "+62812000", "007"]
        let table = KitTable(schema: TableSchema(name: "odd", columns: [Column("value", title: "Value")]),
                             rows: texts.map { [.text($0)] }, keyColumn: nil)
        let read = try export(table)
        XCTAssertEqual(read.header, ["Value"])
        XCTAssertEqual(read.rows.map(\.values), texts.map { [.text($0)] })
    }

    func testATableOverOneSheetContinuesOnTheNextWithTheHeaderAgain() throws {
        // 1,048,576 data rows: the first sheet takes the header and 1,048,575 of them (Excel's
        // 1,048,576 rows), the last row goes to `transaksi (2)` under its own header.
        let rows = 1_048_576
        let table = KitTable(schema: TableSchema(name: "transaksi", columns: [Column("id", title: "ID", kind: .integer)]),
                             rows: (0..<rows).map { [.integer(Int64($0))] }, keyColumn: nil)
        let url = try exportURL(table, batchSize: 4096)
        let sheets = try runPythonLines([String].self, XLSXReader.sheetSummary, [url.path])
        XCTAssertEqual(sheets, [["transaksi", "1048576", "str:4944", "float:\(bits(0))", "float:\(bits(1_048_574))"],
                                ["transaksi (2)", "2", "str:4944", "float:\(bits(1_048_575))", "float:\(bits(1_048_575))"]])
    }

    private func bits(_ value: Double) -> String {
        String(value.bitPattern, radix: 16).leftPadded(to: 16)
    }

    private func exportURL(_ table: KitTable, batchSize: Int = 64) throws -> URL {
        let harness = SinkHarness(root: root)
        let sink = try harness.makeSink(XLSXSink.self)
        let run = try harness.run([sink], tables: [table], batchSize: batchSize, in: try harness.makeRepository())
        let artifact = try XCTUnwrap(run.set.manifest.artifacts.first { $0.format == "xlsx" })
        let url = run.set.url(of: artifact)
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "the workbook holds customers' data")
        return url
    }

    private func export(_ table: KitTable) throws -> ReadTable {
        try XLSXReader().read(try exportURL(table))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
