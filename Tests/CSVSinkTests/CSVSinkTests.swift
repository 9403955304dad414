import CadangCore
import CSVSink
import Foundation
import SinkTestKit
import XCTest

/// Drives the real `csv` sink into a real staged set and reads the file back with Python's `csv` module.
final class CSVSinkTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-csv-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: - Default profile (RFC 4180, CRLF, no BOM)

    func testDefaultProfileRoundTripsTrickyValuesThroughPythonCSV() throws {
        let values: [TestValue] = [
            .text("a,b"), .text(",leading comma"), .text("trailing comma,"), .text("say \"hi\""), .text("\""), .text("\"\""),
            .text("cr\rinside"), .text("lf\ninside"), .text("crlf\r\ninside"), .text("\r\n"), .text("\n"), .text("\r"),
            .text("🛒"), .text("e\u{301}"), .text("🛒,\"e\u{301}\"\r\n🛒"),
            .invalid([0x41, 0xFF, 0x42], repaired: "A\u{FFFD}B"),
            .null, .text("=1+1"), .text("-"), .text("+62812"), .text("@x"), .text("\tab"),
            .text(" leading"), .text("trailing "), .text("  both  "), .text(" "), .text(""), .text("inner  spaces"),
            .integer(0), .integer(-1), .integer(42), .integer(1_000_000_000_000),
            .real(-0.0), .real(1e-300), .real(.leastNonzeroMagnitude) /* 5e-324 */, .real(0.1), .real(44000.0), .real(.greatestFiniteMagnitude),
            .real(-2.5), .real(1e16),
            .blob([0x00, 0x01, 0xFF]), .blob([0xFB]),
        ]
        let columns = [Column("n", title: "No."), Column("v", title: "TestValue, \"quoted\""), Column("t", title: "Tail")]
        let rows = values.enumerated().map { [TestValue.integer(Int64($0.offset)), $0.element, .text("end")] }
        let export = try export(columns, rows: rows, batchSize: 4)

        XCTAssertFalse(export.bytes.starts(with: [0xEF, 0xBB, 0xBF]), "the default profile writes no BOM")
        XCTAssertTrue(export.bytes.starts(with: Array("No.,\"TestValue, \"\"quoted\"\"\",Tail\r\n".utf8)),
                      "header record: \(String(decoding: export.bytes.prefix(40), as: UTF8.self).debugDescription)")
        XCTAssertTrue(export.bytes.suffix(5).elementsEqual("end\r\n".utf8), "the last record ends with CRLF")

        let expected = [columns.map { Field.text($0.title) }]
            + rows.map { $0.map(Field.plain) }
        assertRecords(try parse(export), expected)

        XCTAssertEqual(export.warnings.count, 1, "one warning for the repaired cell: \(export.warnings)")
        XCTAssertTrue(export.warnings.first?.contains("x.csv") ?? false, "the warning names the artifact: \(export.warnings)")
    }

    func testDefaultProfileWritesInt64ExtremesExactly() throws {
        let columns = [Column("a", title: "A"), Column("b", title: "B")]
        let rows: [[TestValue]] = [[.integer(.min), .integer(.max)], [.integer(0), .integer(-9_999_999_999_999_999)]]
        let export = try export(columns, rows: rows)
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self),
                       "A,B\r\n-9223372036854775808,9223372036854775807\r\n0,-9999999999999999\r\n")
        assertRecords(try parse(export), [[.text("A"), .text("B")]] + rows.map { $0.map(Field.plain) })
    }

    func testDefaultProfileRealsRoundTripBitForBit() throws {
        let reals: [Double] = [-0.0, 0.0, 1e-300, .leastNonzeroMagnitude, 0.1, 44000.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                               2.2250738585072014e-308, 1.0 / 3.0, 123456789.125, -1e-5, 9007199254740993.0]
        let columns = [Column("r", title: "Real"), Column("k", title: "Kind")]
        let export = try export(columns, rows: reals.map { [.real($0), .text("x")] }, batchSize: 5)
        let records = try parse(export)
        assertRecords(records, [[.text("Real"), .text("Kind")]] + reals.map { [.real($0), .text("x")] })
        // -0.0 keeps its sign: the bit pattern of Python's float() has the sign bit set.
        XCTAssertEqual(records.dropFirst().first?.first?[1], "8000000000000000", "float() of the -0.0 field is -0.0")
        XCTAssertEqual(records.dropFirst().first?.first.map { unhex($0[0]).hasPrefix("-") }, true)
        XCTAssertEqual(export.warnings, [])
    }

    func testDefaultProfileExactBytesUseCRLFAndQuoteOnlyWhenNeeded() throws {
        let columns = [Column("id", title: "ID"), Column("name", title: "Name")]
        let rows: [[TestValue]] = [[.integer(1), .text("a")], [.integer(2), .null], [.integer(3), .text("b c")],
                               [.integer(4), .text("x\"y")], [.integer(5), .text(" pad")], [.integer(-6), .real(0.5)]]
        let export = try export(columns, rows: rows)
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self),
                       "ID,Name\r\n1,a\r\n2,\r\n3,b c\r\n4,\"x\"\"y\"\r\n5,\" pad\"\r\n-6,0.5\r\n")
    }

    func testInvalidUTF8IsReplacedAndWarnedAboutOnce() throws {
        let values: [TestValue] = [
            .invalid([0x41, 0xFF, 0x42], repaired: "A\u{FFFD}B"),
            .invalid([0xC3], repaired: "\u{FFFD}"),
            .invalid([0xED, 0xA0, 0x80], repaired: "\u{FFFD}\u{FFFD}\u{FFFD}"),
            .invalid([0xE0, 0xA0], repaired: "\u{FFFD}"),
            .invalid([0xF0, 0x9F, 0x9B, 0x2C], repaired: "\u{FFFD},"),
            .invalid(Array("ABCDEFGH".utf8) + [0x80] + Array("IJ".utf8), repaired: "ABCDEFGH\u{FFFD}IJ"),
            .text("valid é"),
        ]
        let columns = [Column("v", title: "V"), Column("n", title: "N")]
        let rows = values.map { [$0, TestValue.integer(7)] }
        let export = try export(columns, rows: rows, batchSize: 3)
        assertRecords(try parse(export), [[.text("V"), .text("N")]] + rows.map { $0.map(Field.plain) })
        XCTAssertEqual(export.warnings.count, 1, "\(export.warnings)")
        let warning = export.warnings.first ?? ""
        XCTAssertTrue(warning.contains("x.csv"), "the warning names the artifact: \(warning)")
        XCTAssertTrue(warning.contains("UTF-8"), warning)
    }

    func testColumnsForProgramsAreLeftOutAndColumnsForPeopleKept() throws {
        let sink = try makeSink([:])
        XCTAssertEqual(sink.audience, .people)
        XCTAssertEqual(sink.fileExtension, "csv")
        let columns = [Column("a", title: "A"), Column("p", title: "Programs", audience: .programs),
                       Column("h", title: "People", audience: .people), Column("z", title: "Z", audience: .everyone)]
        let rows: [[TestValue]] = [[.integer(1), .text("raw"), .text("Rp 1.000"), .text("z1")],
                               [.integer(2), .text("raw2"), .null, .text("z2")]]
        let export = try export(columns, rows: rows)
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self), "A,People,Z\r\n1,Rp 1.000,z1\r\n2,,z2\r\n")
        assertRecords(try parse(export), [[.text("A"), .text("People"), .text("Z")],
                                          [.text("1"), .text("Rp 1.000"), .text("z1")],
                                          [.text("2"), .text(""), .text("z2")]])
    }

    func testEmptyTableWritesOnlyTheHeader() throws {
        let columns = [Column("a", title: "A"), Column("b", title: "B, second")]
        let plain = try export(columns, batches: [])
        XCTAssertEqual(String(decoding: plain.bytes, as: UTF8.self), "A,\"B, second\"\r\n")
        assertRecords(try parse(plain), [[.text("A"), .text("B, second")]])

        let excel = try export(columns, batches: [], options: ["excel": .boolean(true)])
        XCTAssertEqual(excel.bytes, [0xEF, 0xBB, 0xBF] + Array("A,\"B, second\"\r\n".utf8))

        let headless = try export(columns, batches: [], options: ["header": .boolean(false)])
        XCTAssertEqual(headless.bytes, [])
        assertRecords(try parse(headless), [])
    }

    func testBatchBoundariesDoNotChangeTheOutput() throws {
        let columns = [Column("n", title: "N"), Column("s", title: "S"), Column("r", title: "R")]
        let rows: [[TestValue]] = (0..<11).map { i in
            [.integer(Int64(i)), i % 3 == 0 ? .null : .text("v,\(i)\n\"q\""), .real(Double(i) / 8)]
        }
        let whole = try export(columns, batches: [rows])
        for split in [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [5, 6], [2, 0, 9], [10, 1]] {
            var batches: [[[TestValue]]] = []
            var start = 0
            for size in split {
                batches.append(Array(rows[start..<start + size]))
                start += size
            }
            XCTAssertEqual(try export(columns, batches: batches).bytes, whole.bytes, "batches \(split)")
        }
        assertRecords(try parse(whole), [columns.map { Field.text($0.title) }] + rows.map { $0.map(Field.plain) })
    }

    // MARK: - Excel profile

    func testExcelProfileWritesBOMCRLFAndGuardsFormulaText() throws {
        let cases: [(TestValue, Field)] = [
            (.text("=1+1"), .text("'=1+1")), (.text("-"), .text("-")), (.text("+62812"), .text("'+62812")),
            (.text("@x"), .text("'@x")), (.text("\tab"), .text("'\tab")), (.text("-12"), .text("'-12")),
            (.text("=SUM(A1,B1)"), .text("'=SUM(A1,B1)")), (.text("\r=1"), .text("'\r=1")),
            (.text("=\"quoted\""), .text("'=\"quoted\"")),
            (.text("a=b"), .text("a=b")), (.text(" =1"), .text(" =1")), (.text("plain"), .text("plain")),
            (.text(""), .text("")), (.null, .text("")), (.text("🛒"), .text("🛒")),
            (.integer(-5), .text("-5")), (.integer(-9_000_000), .text("-9000000")), (.integer(7), .text("7")),
            (.real(-1.5), .real(-1.5)), (.real(-0.0), .real(-0.0)), (.real(-1e-300), .real(-1e-300)),
        ]
        let columns = [Column("n", title: "N"), Column("v", title: "TestValue")]
        let rows = cases.enumerated().map { [TestValue.integer(-Int64($0.offset) - 1), $0.element.0] }
        let export = try export(columns, rows: rows, batchSize: 4, options: ["excel": .boolean(true)])

        XCTAssertEqual(Array(export.bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "the Excel profile starts with a UTF-8 BOM")
        XCTAssertTrue(export.bytes.dropFirst(3).starts(with: Array("N,TestValue\r\n-1,'=1+1\r\n-2,-\r\n".utf8)),
                      String(decoding: export.bytes.prefix(40), as: UTF8.self).debugDescription)
        XCTAssertTrue(export.bytes.suffix(2).elementsEqual([13, 10]), "records end with CRLF")

        let expected = [[Field.text("N"), .text("TestValue")]]
            + cases.enumerated().map { [Field.text(String(-$0.offset - 1)), $0.element.1] }
        assertRecords(try parse(export, encoding: "utf-8-sig"), expected)
        XCTAssertEqual(export.warnings, [])
    }

    func testExcelProfileExactBytes() throws {
        let columns = [Column("v", title: "TestValue"), Column("n", title: "Number")]
        let rows: [[TestValue]] = [[.text("=1+1"), .integer(-5)], [.text("-"), .real(-1.5)], [.text("@x"), .integer(0)],
                               [.text("+62812"), .real(-0.0)]]
        let export = try export(columns, rows: rows, options: ["excel": .boolean(true)])
        XCTAssertEqual(export.bytes, [0xEF, 0xBB, 0xBF]
            + Array("TestValue,Number\r\n'=1+1,-5\r\n-,-1.5\r\n'@x,0\r\n'+62812,-0.0\r\n".utf8))
    }

    // MARK: - Options

    func testLineEndingLF() throws {
        let columns = [Column("a", title: "A"), Column("b", title: "B")]
        let rows: [[TestValue]] = [[.text("x"), .integer(1)], [.text("y\nz"), .integer(2)], [.text("c\r\nr"), .null]]
        let export = try export(columns, rows: rows, options: ["line_ending": .string("lf")])
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self), "A,B\nx,1\n\"y\nz\",2\n\"c\r\nr\",\n")
        assertRecords(try parse(export), [[.text("A"), .text("B")]] + rows.map { $0.map(Field.plain) })
    }

    func testSemicolonDelimiter() throws {
        let columns = [Column("a", title: "A;1"), Column("b", title: "B,2")]
        let rows: [[TestValue]] = [[.text("a;b"), .real(1.5)], [.text("c,d"), .integer(2)], [.null, .text("\"")]]
        let export = try export(columns, rows: rows, options: ["delimiter": .string(";")])
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self),
                       "\"A;1\";B,2\r\n\"a;b\";1.5\r\nc,d;2\r\n;\"\"\"\"\r\n")
        assertRecords(try parse(export, delimiter: ";"),
                      [[.text("A;1"), .text("B,2")]] + rows.map { $0.map(Field.plain) })
    }

    func testTabDelimiter() throws {
        let columns = [Column("a", title: "A"), Column("b", title: "B")]
        let rows: [[TestValue]] = [[.text("a\tb"), .integer(1)], [.text("c;d,e"), .integer(2)], [.text("\tlead"), .real(0.25)]]
        let export = try export(columns, rows: rows, options: ["delimiter": .string("tab")])
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self),
                       "A\tB\r\n\"a\tb\"\t1\r\nc;d,e\t2\r\n\"\tlead\"\t0.25\r\n")
        assertRecords(try parse(export, delimiter: "tab"), [[.text("A"), .text("B")]] + rows.map { $0.map(Field.plain) })
    }

    func testHeaderFalseWritesOnlyRecords() throws {
        let columns = [Column("a", title: "A"), Column("b", title: "B")]
        let rows: [[TestValue]] = [[.text("x"), .integer(1)], [.text("y,z"), .integer(2)]]
        let export = try export(columns, rows: rows, options: ["header": .boolean(false)])
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self), "x,1\r\n\"y,z\",2\r\n")
        assertRecords(try parse(export), rows.map { $0.map(Field.plain) })
    }

    // MARK: - Volume

    func testSingleColumnEmptyRecordsAreQuotedSoNoRowIsLost() throws {
        let columns = [Column("v", title: "V")]
        let rows: [[TestValue]] = [[.text("a")], [.null], [.text("")], [.text("b")]]
        let export = try export(columns, rows: rows)
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self), "V\r\na\r\n\"\"\r\n\"\"\r\nb\r\n")
        XCTAssertEqual(try parse(export).map { $0.map { unhex($0[0]) } }, [["V"], ["a"], [""], [""], ["b"]], "Python reads a record for every row")
    }

    func testExcelProfileGuardsFormulaLikeHeaders() throws {
        let export = try export([Column("x", title: "=HYPERLINK(1)"), Column("y", title: "-")], rows: [], options: ["excel": .boolean(true)])
        XCTAssertEqual(String(decoding: export.bytes.dropFirst(3), as: UTF8.self), "'=HYPERLINK(1),-\r\n")
    }

    func testExcelProfileKeepsBarcodesAsText() throws {
        let rows: [[TestValue]] = [[.text("089686611601")], [.text("8991234567890")], [.text("12345")], [.text("0")], [.text("08x")], [.integer(89686611601)]]
        let excel = try export([Column("k", title: "Kode")], rows: rows, options: ["excel": .boolean(true)])
        XCTAssertEqual(String(decoding: excel.bytes.dropFirst(3), as: UTF8.self),
                       "Kode\r\n\"=\"\"089686611601\"\"\"\r\n\"=\"\"8991234567890\"\"\"\r\n12345\r\n0\r\n08x\r\n89686611601\r\n")
        XCTAssertEqual(try parse(excel, encoding: "utf-8-sig").map { $0.map { unhex($0[0]) } },
                       [["Kode"], ["=\"089686611601\""], ["=\"8991234567890\""], ["12345"], ["0"], ["08x"], ["89686611601"]])
        let plain = try export([Column("k", title: "Kode")], rows: rows)
        XCTAssertEqual(String(decoding: plain.bytes, as: UTF8.self), "Kode\r\n089686611601\r\n8991234567890\r\n12345\r\n0\r\n08x\r\n89686611601\r\n")
    }

    func testTwoHundredThousandRowsInBatchesOf4096() throws {
        let columns = [Column("i", title: "I"), Column("s", title: "S"), Column("r", title: "R")]
        let total = 200_000
        let rows = (0..<total).map { i -> [TestValue] in [.integer(Int64(i)), .text("row \(i), \"q\""), .real(Double(i) / 4)] }
        let export = try export(columns, rows: rows, batchSize: 4096)
        let summary = try runPython(CSVSummary.self, Self.countScript, [export.url.path])
        XCTAssertEqual(summary.records, total + 1, "header plus every row")
        XCTAssertEqual(summary.header, ["I", "S", "R"])
        XCTAssertEqual(summary.sequential, true, "every record holds its own index, in order, with three fields")
        XCTAssertEqual(summary.last, ["199999", "row 199999, \"q\"", "49999.75"])
    }

    // MARK: - Harness

    private var harness: SinkHarness { SinkHarness(root: root) }

    private func export(_ columns: [Column], batches: [[[TestValue]]], options: [String: OptionValue] = [:]) throws -> SinkHarness.Export {
        try harness.export(try harness.makeSink(CSVSink.self, options: options), columns: columns, batches: batches)
    }

    private func export(_ columns: [Column], rows: [[TestValue]], batchSize: Int = 3,
                        options: [String: OptionValue] = [:]) throws -> SinkHarness.Export {
        try harness.export(try harness.makeSink(CSVSink.self, options: options), columns: columns, rows: rows, batchSize: batchSize)
    }

    private func makeSink(_ options: [String: OptionValue]) throws -> CSVSink {
        try harness.makeSink(CSVSink.self, options: options)
    }

    /// Python's reading of the file: per record, per field, `[utf8 hex, bits of float(field) or ""]`.
    private func parse(_ export: SinkHarness.Export, encoding: String = "utf-8", delimiter: String = ",") throws -> [[[String]]] {
        try runPython([[[String]]].self, Self.parseScript, [export.url.path, encoding, delimiter])
    }

    private func assertRecords(_ parsed: [[[String]]], _ expected: [[Field]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(parsed.count, expected.count, "record count", file: file, line: line)
        for (r, (got, want)) in zip(parsed, expected).enumerated() {
            guard got.count == want.count else {
                XCTFail("record \(r): \(got.count) fields \(got.map { unhex($0[0]) }), expected \(want)", file: file, line: line)
                continue
            }
            for (f, (field, expectation)) in zip(got, want).enumerated() {
                switch expectation {
                case .text(let text):
                    XCTAssertEqual(field[0], hex(text.utf8),
                                   "record \(r) field \(f): got \(unhex(field[0]).debugDescription), expected \(text.debugDescription)",
                                   file: file, line: line)
                case .real(let real):
                    XCTAssertEqual(field[1], bits(real),
                                   "record \(r) field \(f): got \(unhex(field[0]).debugDescription), expected float \(real)",
                                   file: file, line: line)
                }
            }
        }
    }

    private struct CSVSummary: Decodable {
        var records: Int
        var header: [String]
        var sequential: Bool
        var last: [String]
    }

    private static let parseScript = """
        import csv, json, struct, sys
        path, encoding, delimiter = sys.argv[1], sys.argv[2], sys.argv[3]
        delimiter = '\\t' if delimiter == 'tab' else delimiter
        def bits(field):
            try:
                return struct.pack('>d', float(field)).hex()
            except ValueError:
                return ''
        with open(path, newline='', encoding=encoding, errors='strict') as f:
            records = [[[field.encode('utf-8').hex(), bits(field)] for field in record]
                       for record in csv.reader(f, delimiter=delimiter, strict=True)]
        json.dump(records, sys.stdout)
        """

    private static let countScript = """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8', errors='strict') as f:
            records = list(csv.reader(f, strict=True))
        sequential = all(len(r) == 3 and r[0] == str(i) and r[1] == 'row %d, "q"' % i and float(r[2]) == i / 4
                         for i, r in enumerate(records[1:]))
        json.dump({'records': len(records), 'header': records[0], 'sequential': sequential, 'last': records[-1]}, sys.stdout)
        """
}


/// What Python must read a CSV field as.
enum Field: CustomStringConvertible {
    /// Exactly this text (same Unicode scalars).
    case text(String)
    /// A field whose `float()` has exactly this bit pattern.
    case real(Double)

    /// The field a value is written as when no formula guard applies.
    static func plain(_ value: TestValue) -> Field {
        switch value {
        case .null: .text("")
        case .integer(let integer): .text(String(integer))
        case .real(let real): .real(real)
        case .text(let text): .text(text)
        case .invalid(_, let repaired): .text(repaired)
        case .blob(let bytes): .text(Data(bytes).base64EncodedString())
        }
    }

    var description: String {
        switch self {
        case .text(let text): text.debugDescription
        case .real(let real): "float \(real)"
        }
    }
}
