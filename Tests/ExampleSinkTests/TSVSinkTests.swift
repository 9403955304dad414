import CadangCore
import ExampleSink
import Foundation
import SinkTestKit
import XCTest

/// The `tsv` sink through the conformance kit, its files read back by a strict parser in Python.
final class TSVSinkTests: XCTestCase {
    private var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-tsv-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    func testTSVSinkPassesTheKit() {
        let kit = SinkConformance(harness: SinkHarness(root: root))
        XCTAssertEqual(kit.problems(of: TSVSink.self, reader: PythonTSVReader(header: true)), [])
        XCTAssertEqual(kit.problems(of: TSVSink.self, options: ["header": .boolean(false)], reader: PythonTSVReader(header: false)), [])
    }
}

/// Reads a `tsv` export back under the rules `TSVSink` documents, with a parser that shares no
/// code with the sink.
struct PythonTSVReader: ExportReader {
    /// Whether the first line holds the column titles (the `header` option).
    var header: Bool

    var rules: FormatRules {
        FormatRules(labels: header ? .header(.title) : .none, nulls: .null, numbers: .text, blobs: .base64Text)
    }

    func read(_ url: URL) throws -> ReadTable {
        var rows = try runPythonLines([String].self, PythonReaders.prelude + Self.script, [url.path])
            .map { ReadRow(try $0.map(ReadValue.init(tagged:))) }
        guard header, !rows.isEmpty else { return ReadTable(header: nil, rows: rows) }
        let titles = try rows.removeFirst().values.map { value -> String in
            guard case .text(let title) = value else { throw ReadFailure("the header holds \(value)") }
            return title
        }
        return ReadTable(header: titles, rows: rows)
    }

    /// Prints one JSON line per record: its fields, tagged, `\N` as null. Strict: every line ends
    /// with LF, the file is UTF-8, and a backslash starts one of the four escapes.
    private static let script = #"""
        CODES = {'\\': '\\', 't': '\t', 'n': '\n', 'r': '\r'}
        def field(raw):
            if raw == '\\N': return None
            out, chars = [], iter(raw)
            for c in chars:
                if c == '\\':
                    code = next(chars, None)
                    if code not in CODES: raise ValueError('bad escape in %r' % raw)
                    c = CODES[code]
                out.append(c)
            return ''.join(out)
        with open(sys.argv[1], 'rb') as f:
            for number, line in enumerate(f, 1):
                if not line.endswith(b'\n'): raise ValueError('line %d does not end with LF' % number)
                emit([tag(field(raw)) for raw in line[:-1].decode('utf-8').split('\t')])
        """#
}
