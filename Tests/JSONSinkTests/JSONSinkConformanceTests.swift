import CadangCore
import Foundation
import JSONSink
import SinkTestKit
import XCTest

/// The `json` sink through the conformance kit, read back by Python's `json` module, in both of
/// its formats.
final class JSONSinkConformanceTests: XCTestCase {
    private var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-json-conformance-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    private var kit: SinkConformance { SinkConformance(harness: SinkHarness(root: root)) }

    func testArrayFormatPassesTheKit() {
        XCTAssertEqual(kit.problems(of: JSONSink.self, reader: PythonJSONReader(lines: false)), [])
        XCTAssertEqual(kit.problems(of: JSONSink.self, options: ["format": .string("array")], reader: PythonJSONReader(lines: false)), [])
    }

    func testLinesFormatPassesTheKit() {
        XCTAssertEqual(kit.problems(of: JSONSink.self, options: ["format": .string("lines")], reader: PythonJSONReader(lines: true)), [])
    }

    func testTheKitCatchesAReaderThatExpectsTheOtherAudience() {
        // Read as if the sink were for people (CSV-style titles): the keys are the names of the
        // programs columns, so the kit reports the columns, not a pass.
        var reader = PythonJSONReader(lines: false)
        reader.rules.labels = .eachRow(.title)
        let found = kit.problems(of: JSONSink.self, reader: reader)
        XCTAssertTrue(found.contains { $0.hasPrefix("drops a column") && $0.contains("'Text, \"quoted\"' is missing") }, found.joined(separator: "\n"))
    }
}

/// Reads a JSON export (an array of objects, or JSON Lines) with Python's `json` module, strictly:
/// valid UTF-8, no NaN or Infinity, every element an object whose members keep their order.
struct PythonJSONReader: ExportReader {
    /// JSON Lines (`format: lines`) rather than one array.
    var lines: Bool
    var rules = FormatRules(labels: .eachRow(.name), nulls: .null, numbers: .typed, blobs: .base64Text)

    init(lines: Bool) {
        self.lines = lines
    }

    private struct Object: Decodable {
        var k: [String]
        var v: [String]
    }

    func read(_ url: URL) throws -> ReadTable {
        let objects = try runPythonLines(Object.self, PythonReaders.prelude + Self.script, [url.path, lines ? "lines" : "array"])
        return ReadTable(header: nil, rows: try objects.map { object in
            guard object.k.count == object.v.count else { throw ReadFailure("keys and values differ in number") }
            return ReadRow(labelled: Array(zip(object.k, try object.v.map(ReadValue.init(tagged:)))))
        })
    }

    /// One JSON line per object: its keys and its tagged values, in file order.
    private static let script = """
        class Obj(list):
            pass
        def constant(name):
            raise ValueError('non-standard JSON constant ' + name)
        def load(text):
            return json.loads(text, object_pairs_hook=Obj, parse_constant=constant)
        def put(o):
            if not isinstance(o, Obj): raise ValueError('not an object: %r' % (o,))
            emit({'k': [k for k, _ in o], 'v': [tag(v) for _, v in o]})
        path, form = sys.argv[1], sys.argv[2]
        if form == 'array':
            with open(path, 'rb') as f:
                objects = load(f.read().decode('utf-8'))
            if not isinstance(objects, list) or isinstance(objects, Obj): raise ValueError('not an array')
            for o in objects: put(o)
        else:
            with open(path, 'rb') as f:
                for number, line in enumerate(f):
                    if not line.endswith(b'\\n'): raise ValueError('line %d does not end with LF' % number)
                    put(load(line.decode('utf-8')))
        """
}
