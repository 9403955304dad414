import CadangCore
import JSONSink
import Foundation
import SinkTestKit
import XCTest

/// Drives the real `json` sink into a real staged set and reads the file back with Python's `json` module.
final class JSONSinkTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-json-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: - Array format

    func testArrayFormatParsesToObjectsInColumnOrderWithExactValues() throws {
        let controls = String(decoding: Array(0...0x1F) + [0x78], as: UTF8.self)
        let values: [TestValue] = [
            .null, .integer(0), .integer(-1), .integer(1_000_000_000_000), .integer(-9_999_999_999_999_999),
            .real(-0.0), .real(0.0), .real(1e-300), .real(.leastNonzeroMagnitude) /* 5e-324 */, .real(0.1), .real(44000.0), .real(.greatestFiniteMagnitude),
            .real(-.greatestFiniteMagnitude), .real(1e16), .real(-1e-5), .real(1.0 / 3.0),
            .text(""), .text("🛒"), .text("e\u{301}"), .text(controls), .text("\u{0}"), .text("\"quotes\" and \"\""),
            .text("back\\slash\\"), .text("\\\""), .text("/"), .text("\u{7F}"), .text("€"), .text("x€"), .text("∀"),
            .text("\u{2000}"), .text("\u{2027}…"), .text("\u{2028}"), .text("\u{2029}"), .text("a\u{2028}b\u{2029}c\u{2028}"),
            .text("tab\there\nnew\r\nline"), .text("null"), .text("123"), .text("=1+1"),
            .invalid([0x41, 0xFF, 0x42], repaired: "A\u{FFFD}B"),
            .blob([]), .blob([0xFB]), .blob([0xFB, 0xFF]), .blob([0x00, 0x01, 0xFF]), .blob(Array(0...255)),
        ]
        let columns = [Column("zeta"), Column("alpha"), Column("mid", title: "Middle"), Column("q\"\\k\n/")]
        let rows = values.enumerated().map { [TestValue.integer(Int64($0.offset)), .text("a\($0.offset)"), $0.element, .null] }
        let export = try export(columns, rows: rows, batchSize: 4)

        XCTAssertEqual(export.bytes.first, UInt8(ascii: "["))
        XCTAssertEqual(export.bytes.last, 10, "the file ends with a newline")
        assertObjects(try parse(export), expected(columns, rows))
        XCTAssertEqual(export.warnings.count, 1, "one warning, for the repaired text: \(export.warnings)")
        XCTAssertTrue(export.warnings.first?.contains("x.json") ?? false, "the warning names the artifact: \(export.warnings)")
    }

    func testInt64ExtremesAreWrittenExactly() throws {
        let columns = [Column("min"), Column("max"), Column("big")]
        let rows: [[TestValue]] = [[.integer(.min), .integer(.max), .integer(10_000_000_000_000_000)]]
        let export = try export(columns, rows: rows)
        assertObjects(try parse(export), expected(columns, rows))
        XCTAssertTrue(String(decoding: export.bytes, as: UTF8.self)
            .contains("{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"big\":10000000000000000}"))
    }

    func testLineAndParagraphSeparatorsAreEscapedInTheRawBytes() throws {
        let columns = [Column("s")]
        let rows: [[TestValue]] = [[.text("a\u{2028}b")], [.text("\u{2029}")], [.text("\u{2028}\u{2029}€\u{2027}")]]
        for format in ["array", "lines"] {
            let export = try export(columns, rows: rows, options: ["format": .string(format)])
            let raw = String(decoding: export.bytes, as: UTF8.self)
            XCTAssertTrue(raw.contains(#""a\u2028b""#), "\(format): \(raw.debugDescription)")
            XCTAssertTrue(raw.contains(#""\u2029""#), "\(format): \(raw.debugDescription)")
            XCTAssertTrue(raw.contains(#""\u2028\u2029€‧""#), "\(format): \(raw.debugDescription)")
            XCTAssertNil(export.bytes.firstRange(of: [0xE2, 0x80, 0xA8]), "\(format): no raw U+2028 in the file")
            XCTAssertNil(export.bytes.firstRange(of: [0xE2, 0x80, 0xA9]), "\(format): no raw U+2029 in the file")
            assertObjects(try parse(export, lines: format == "lines"), expected(columns, rows))
        }
    }

    func testInvalidUTF8IsReplacedAndWarnedAboutOnce() throws {
        let values: [TestValue] = [
            .invalid([0x41, 0xFF, 0x42], repaired: "A\u{FFFD}B"),
            .invalid([0xC3], repaired: "\u{FFFD}"),
            .invalid([0xED, 0xA0, 0x80], repaired: "\u{FFFD}\u{FFFD}\u{FFFD}"),
            .invalid([0xE0, 0xA0], repaired: "\u{FFFD}"),
            .invalid([0xE2, 0x80], repaired: "\u{FFFD}"),
            .invalid([0xF0, 0x9F, 0x9B, 0x22], repaired: "\u{FFFD}\""),
            .invalid(Array("ABCDEFGH".utf8) + [0x80] + Array("\\IJ".utf8), repaired: "ABCDEFGH\u{FFFD}\\IJ"),
            .text("valid é"),
        ]
        let columns = [Column("v"), Column("n")]
        let rows = values.map { [$0, TestValue.integer(7)] }
        let export = try export(columns, rows: rows, batchSize: 3)
        assertObjects(try parse(export), expected(columns, rows))
        XCTAssertEqual(export.warnings.count, 1, "\(export.warnings)")
        let warning = export.warnings.first ?? ""
        XCTAssertTrue(warning.contains("x.json"), "the warning names the artifact: \(warning)")
        XCTAssertTrue(warning.contains("UTF-8"), warning)
    }

    func testInfinityAndNaNBecomeNullWithAWarning() throws {
        let columns = [Column("r"), Column("n")]
        let rows: [[TestValue]] = [[.real(.infinity), .integer(1)], [.real(-.infinity), .integer(2)],
                               [.real(.nan), .integer(3)], [.real(1.5), .integer(4)]]
        let export = try export(columns, rows: rows, batchSize: 2)
        XCTAssertEqual(try parse(export), [["r=null", "n=int:1"], ["r=null", "n=int:2"], ["r=null", "n=int:3"],
                                           ["r=float:\(bits(1.5))", "n=int:4"]])
        XCTAssertEqual(export.warnings.count, 1, "\(export.warnings)")
        let warning = export.warnings.first ?? ""
        XCTAssertTrue(warning.contains("x.json"), "the warning names the artifact: \(warning)")
        XCTAssertTrue(warning.contains("3"), "the warning counts the three values: \(warning)")
    }

    func testColumnsForPeopleAreLeftOutAndColumnsForProgramsKept() throws {
        let sink = try makeSink([:])
        XCTAssertEqual(sink.audience, .programs)
        let columns = [Column("a"), Column("shown", title: "Shown", audience: .people),
                       Column("stored", audience: .programs), Column("z", audience: .everyone)]
        let rows: [[TestValue]] = [[.integer(1), .text("Rp 1.000"), .integer(1000), .text("z1")],
                               [.integer(2), .text("Tunai"), .null, .text("z2")]]
        let export = try export(columns, rows: rows)
        XCTAssertEqual(try parse(export), [["a=int:1", "stored=int:1000", "z=str:\(hex("z1".utf8))"],
                                           ["a=int:2", "stored=null", "z=str:\(hex("z2".utf8))"]])
        XCTAssertFalse(String(decoding: export.bytes, as: UTF8.self).contains("shown"))
        XCTAssertFalse(String(decoding: export.bytes, as: UTF8.self).contains("Rp 1.000"))
    }

    func testATableWithNoColumnsForProgramsStillGivesValidJSON() throws {
        let columns = [Column("a", audience: .people)]
        let export = try export(columns, rows: [[.integer(1)], [.integer(2)]])
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self), "[\n{},\n{}\n]\n")
    }

    func testKeysEscapeLineAndParagraphSeparators() throws {
        let export = try export([Column("a\u{2028}b\u{2029}")], rows: [[.integer(1)]])
        XCTAssertEqual(String(decoding: export.bytes, as: UTF8.self), "[\n{\"a\\u2028b\\u2029\":1}\n]\n")
    }

    func testEmptyTableIsAnEmptyArray() throws {
        let columns = [Column("a"), Column("b")]
        let empty = try export(columns, batches: [])
        XCTAssertEqual(String(decoding: empty.bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), "[]")
        XCTAssertEqual(try parse(empty), [])

        let emptyBatch = try export(columns, batches: [[]])
        XCTAssertEqual(emptyBatch.bytes, empty.bytes, "an empty batch writes nothing")

        let lines = try export(columns, batches: [], options: ["format": .string("lines")])
        XCTAssertEqual(lines.bytes, [], "JSON Lines of no rows is an empty file")
    }

    // MARK: - JSON Lines

    func testLinesFormatWritesOneParsableObjectPerLine() throws {
        let arraySink = try makeSink([:])
        XCTAssertEqual(arraySink.fileExtension, "json")
        let linesSink = try makeSink(["format": .string("lines")])
        XCTAssertEqual(linesSink.fileExtension, "jsonl")
        XCTAssertEqual(try makeSink(["format": .string("array")]).fileExtension, "json")

        let columns = [Column("id"), Column("text"), Column("real")]
        let texts = ["plain", "new\nline", "cr\rlf\r\n", "\u{2028}", "🛒 e\u{301}", "{\"nested\": [1, 2]}", "", "\u{0}\u{1F}"]
        let rows = texts.enumerated().map { [TestValue.integer(Int64($0.offset)), .text($0.element), .real(Double($0.offset) - 0.5)] }
            + [[.null, .invalid([0x41, 0xFF, 0x42], repaired: "A\u{FFFD}B"), .real(-0.0)]]
        let export = try export(columns, rows: rows, batchSize: 3, options: ["format": .string("lines")])

        XCTAssertTrue(export.url.lastPathComponent.hasSuffix(".jsonl"))
        let lines = export.bytes.split(separator: 10, omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, rows.count + 1, "one line per row, each ending with LF")
        XCTAssertEqual(lines.last?.isEmpty, true)
        for line in lines.dropLast() {
            XCTAssertEqual(line.first, UInt8(ascii: "{"))
            XCTAssertEqual(line.last, UInt8(ascii: "}"))
        }
        assertObjects(try parse(export, lines: true), expected(columns, rows))
        XCTAssertEqual(export.warnings.count, 1)
        XCTAssertTrue(export.warnings.first?.contains("x.jsonl") ?? false, "\(export.warnings)")
    }

    // MARK: - Batches

    func testBatchBoundariesDoNotChangeTheOutput() throws {
        let columns = [Column("n"), Column("s"), Column("r"), Column("b")]
        let rows: [[TestValue]] = (0..<11).map { (i: Int) -> [TestValue] in
            let text: TestValue = i % 3 == 0 ? .null : .text("v\(i) \"q\"\n\u{2028}")
            return [.integer(Int64(i)), text, .real(Double(i) / 8), .blob([UInt8(i), 0xFF])]
        }
        for format in ["array", "lines"] {
            let options: [String: OptionValue] = ["format": .string(format)]
            let whole = try export(columns, batches: [rows], options: options)
            for split in [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [5, 6], [2, 0, 9], [10, 1], [1, 10]] {
                var batches: [[[TestValue]]] = []
                var start = 0
                for size in split {
                    batches.append(Array(rows[start..<start + size]))
                    start += size
                }
                XCTAssertEqual(try export(columns, batches: batches, options: options).bytes, whole.bytes, "\(format), batches \(split)")
            }
            assertObjects(try parse(whole, lines: format == "lines"), expected(columns, rows))
        }
    }

    // MARK: - Volume

    func testTwoHundredThousandRowsInBatchesOf4096() throws {
        let columns = [Column("i"), Column("s"), Column("r")]
        let total = 200_000
        let rows = (0..<total).map { i -> [TestValue] in [.integer(Int64(i)), .text("row \(i) \"q\""), .real(Double(i) / 4)] }
        let export = try export(columns, rows: rows, batchSize: 4096)
        let summary = try runPython(Summary.self, Self.countScript, [export.url.path])
        XCTAssertEqual(summary.rows, total)
        XCTAssertEqual(summary.sequential, true, "every object holds its own index, in order, with keys i, s, r")
        XCTAssertEqual(summary.last, ["i=int:199999", "s=str:\(hex("row 199999 \"q\"".utf8))", "r=float:\(bits(49999.75))"])
    }

    // MARK: - Harness

    private var harness: SinkHarness { SinkHarness(root: root) }

    private func export(_ columns: [Column], batches: [[[TestValue]]], options: [String: OptionValue] = [:]) throws -> SinkHarness.Export {
        try harness.export(try harness.makeSink(JSONSink.self, options: options), columns: columns, batches: batches)
    }

    private func export(_ columns: [Column], rows: [[TestValue]], batchSize: Int = 3,
                        options: [String: OptionValue] = [:]) throws -> SinkHarness.Export {
        try harness.export(try harness.makeSink(JSONSink.self, options: options), columns: columns, rows: rows, batchSize: batchSize)
    }

    private func makeSink(_ options: [String: OptionValue]) throws -> JSONSink {
        try harness.makeSink(JSONSink.self, options: options)
    }

    /// Python's reading of the file: per object, its members in file order as `key=kind:payload`.
    private func parse(_ export: SinkHarness.Export, lines: Bool = false) throws -> [[String]] {
        try runPython([[String]].self, Self.parseScript, [export.url.path, lines ? "lines" : "array"])
    }

    /// The objects a JSON export of `rows` must hold: the columns for programs, in order.
    private func expected(_ columns: [Column], _ rows: [[TestValue]]) -> [[String]] {
        let kept = columns.indices.filter { columns[$0].audience != .people }
        return rows.map { row in kept.map { "\(columns[$0].name)=\(canonical(row[$0]))" } }
    }

    private func canonical(_ value: TestValue) -> String {
        switch value {
        case .null: "null"
        case .integer(let integer): "int:\(integer)"
        case .real(let real): real.isFinite ? "float:\(bits(real))" : "null"
        case .text(let text): "str:" + hex(text.utf8)
        case .invalid(_, let repaired): "str:" + hex(repaired.utf8)
        case .blob(let bytes): "str:" + hex(Data(bytes).base64EncodedString().utf8)
        }
    }

    private func assertObjects(_ parsed: [[String]], _ expected: [[String]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(parsed.count, expected.count, "object count", file: file, line: line)
        for (index, (got, want)) in zip(parsed, expected).enumerated() where got != want {
            XCTFail("object \(index):\n  got      \(got.map(readable))\n  expected \(want.map(readable))", file: file, line: line)
        }
    }

    /// `key=str:<hex>` with the text shown, for failure messages.
    private func readable(_ member: String) -> String {
        guard let marker = member.range(of: "=str:", options: .backwards) else { return member }
        return member[..<marker.lowerBound] + "=" + unhex(String(member[marker.upperBound...])).debugDescription
            + " (\(member[marker.upperBound...]))"
    }

    private struct Summary: Decodable {
        var rows: Int
        var sequential: Bool
        var last: [String]
    }

    /// Reads an array file (argv[2] == "array") or a JSON Lines file, strictly: valid UTF-8, no
    /// NaN/Infinity, no raw control characters, every element an object.
    private static let parseScript = """
        import json, struct, sys
        class Obj(list):
            pass
        def constant(name):
            raise ValueError('non-standard JSON constant ' + name)
        def load(text):
            return json.loads(text, object_pairs_hook=Obj, parse_constant=constant)
        def canonical(v):
            if v is None: return 'null'
            if v is True or v is False: return 'bool:' + str(v)
            if isinstance(v, int): return 'int:' + str(v)
            if isinstance(v, float): return 'float:' + struct.pack('>d', v).hex()
            if isinstance(v, str): return 'str:' + v.encode('utf-8').hex()
            raise ValueError('unexpected value %r' % (v,))
        def members(o):
            if not isinstance(o, Obj): raise ValueError('not an object: %r' % (o,))
            return [k + '=' + canonical(v) for k, v in o]
        with open(sys.argv[1], 'rb') as f:
            text = f.read().decode('utf-8')
        if sys.argv[2] == 'array':
            objects = load(text)
            if not isinstance(objects, list) or isinstance(objects, Obj): raise ValueError('not an array')
        else:
            lines = text.split('\\n')
            if lines[-1] != '': raise ValueError('the last line does not end with LF')
            objects = [load(line) for line in lines[:-1]]
        json.dump([members(o) for o in objects], sys.stdout)
        """

    private static let countScript = """
        import json, struct, sys
        with open(sys.argv[1], 'rb') as f:
            rows = json.loads(f.read().decode('utf-8'), object_pairs_hook=lambda pairs: pairs)
        sequential = all([k for k, _ in r] == ['i', 's', 'r'] and r[0][1] == i and r[1][1] == 'row %d "q"' % i and r[2][1] == i / 4
                         for i, r in enumerate(rows))
        last = rows[-1]
        json.dump({'rows': len(rows), 'sequential': sequential,
                   'last': ['i=int:%d' % last[0][1], 's=str:' + last[1][1].encode('utf-8').hex(),
                            'r=float:' + struct.pack('>d', last[2][1]).hex()]}, sys.stdout)
        """
}
