import CadangCore
import CSVSink
import Foundation
import SinkTestKit
import XCTest

/// The `csv` sink through the conformance kit, read back by Python's `csv` module, in the
/// profiles it documents.
final class CSVSinkConformanceTests: XCTestCase {
    private var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-csv-conformance-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    private func problems(_ options: [String: OptionValue], _ reader: PythonCSVReader) -> [String] {
        SinkConformance(harness: SinkHarness(root: root)).problems(of: CSVSink.self, options: options, reader: reader)
    }

    func testDefaultProfilePassesTheKit() {
        XCTAssertEqual(problems([:], PythonCSVReader()), [])
    }

    func testExcelProfilePassesTheKit() {
        XCTAssertEqual(problems(["excel": .boolean(true)], PythonCSVReader(byteOrderMark: true, excel: true)), [])
    }

    func testTabDelimitedWithoutHeaderPassesTheKit() {
        XCTAssertEqual(problems(["delimiter": .string("tab"), "header": .boolean(false)], PythonCSVReader(delimiter: "tab", header: false)), [])
    }

    func testSemicolonLFWithBOMPassesTheKit() {
        XCTAssertEqual(problems(["delimiter": .string(";"), "line_ending": .string("lf"), "bom": .boolean(true)],
                                PythonCSVReader(delimiter: ";", byteOrderMark: true)), [])
    }

    func testTheKitCatchesAReaderThatExpectsTheWrongProfile() {
        // The excel profile read as if it were the plain one: the guarded formulas and barcodes
        // are values the kit did not send. Proof that the kit compares the text it reads back.
        let found = problems(["excel": .boolean(true)], PythonCSVReader(byteOrderMark: true))
        XCTAssertTrue(found.contains { $0.hasPrefix("mangles a value") && $0.contains("row 2, column 'note': sent text \"=1+1\", read back text") },
                      found.joined(separator: "\n"))
    }
}

/// Reads a CSV export with Python's `csv` module (strict), under the rules `CSVSink` documents
/// for the options it was built with.
struct PythonCSVReader: ExportReader {
    /// `,`, `;` or `tab`, as the `delimiter` option.
    var delimiter = ","
    /// Whether the file must start with a UTF-8 byte order mark.
    var byteOrderMark = false
    /// Whether the first record is the header of column titles.
    var header = true
    /// The Excel profile's formula and barcode guard.
    var excel = false

    var rules: FormatRules {
        let labels: FormatRules.Labels = header ? .header(.title) : .none
        var rules = FormatRules(labels: labels, nulls: .emptyText, numbers: .text, blobs: .base64Text)
        if excel { rules.alteredText = { Self.excelGuard($0) } }
        return rules
    }

    /// Text as the Excel profile documents it: digits only with a leading zero or more than 11
    /// digits (a barcode) becomes the formula `="…"`; other text of two characters or more that
    /// starts with `=` `+` `-` `@` TAB or CR gets a leading `'`.
    static func excelGuard(_ text: String) -> String {
        let bytes = Array(text.utf8)
        if bytes.count >= 2, bytes.allSatisfy({ (48...57).contains($0) }), bytes[0] == 48 || bytes.count > 11 {
            return "=\"" + text + "\""
        }
        if bytes.count > 1, [61, 43, 45, 64, 9, 13].contains(bytes[0]) { return "'" + text }
        return text
    }

    func read(_ url: URL) throws -> ReadTable {
        let records = try runPythonLines([String].self, PythonReaders.prelude + Self.script,
                                         [url.path, byteOrderMark ? "utf-8-sig" : "utf-8", delimiter])
        var rows = try records.map { ReadRow(try $0.map(ReadValue.init(tagged:))) }
        guard header else { return ReadTable(header: nil, rows: rows) }
        guard !rows.isEmpty else { return ReadTable(header: nil, rows: []) }
        let titles = rows.removeFirst().values.map { value -> String in
            if case .text(let title) = value { title } else { "" }
        }
        return ReadTable(header: titles, rows: rows)
    }

    /// One JSON line per record: its fields, tagged. With `utf-8-sig` the BOM must be there.
    private static let script = """
        import codecs, csv
        path, encoding, delimiter = sys.argv[1], sys.argv[2], sys.argv[3]
        delimiter = '\\t' if delimiter == 'tab' else delimiter
        if encoding == 'utf-8-sig':
            with open(path, 'rb') as f:
                if f.read(3) != codecs.BOM_UTF8: raise ValueError('no byte order mark')
        with open(path, newline='', encoding=encoding, errors='strict') as f:
            for record in csv.reader(f, delimiter=delimiter, strict=True):
                emit([tag(field) for field in record])
        """
}
