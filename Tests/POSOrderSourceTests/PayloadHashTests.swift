import CadangCore
import XCTest
@testable import POSOrderSource

/// The canonical form and the content hash (a contract: see `CanonicalJSONWriter`).
final class PayloadHashTests: XCTestCase {
    private func canonical(_ text: String) throws -> String {
        var decoder = OrderDecoder()
        return String(decoding: try decoder.canonicalText(of: Array(text.utf8)).get(), as: UTF8.self)
    }

    func testCanonicalText() throws {
        XCTAssertEqual(try canonical(#" { "b" : [1, 2.50, -0.0e+1, true, false, null] , "a" : {"z": {}, "y": []} } "#),
                       #"{"a":{"y":[],"z":{}},"b":[1,2.50,-0.0e+1,true,false,null]}"#)
        XCTAssertEqual(try canonical(#"{"s": "\u00e9\/\"\\\n\u0001\ud83d\ude00\ud800", "\u0061": 1}"#),
                       "{\"a\":1,\"s\":\"é/\\\"\\\\\\n\\u0001😀\\ud800\"}")
        // Keys sort by bytes: "B" (0x42) before "a" before "ab" before "é".
        XCTAssertEqual(try canonical(#"{"é": 1, "ab": 2, "a": 3, "B": 4}"#), #"{"B":4,"a":3,"ab":2,"é":1}"#)
        XCTAssertEqual(try canonical(#"{"backup_date": "x", "synced": true, "sync_date": 1, "receipt_html": "", "n": {"synced": 1}}"#),
                       #"{"n":{"synced":1}}"#)
    }

    func testKeyOrderWhitespaceAndEscapesDoNotChangeTheHash() throws {
        let reference = try PayloadFixtures.hash(#"{"uuid":"u","name":"Café","lines":[[0,0,{"qty":1,"price_unit":2.5}]]}"#)
        XCTAssertEqual(try PayloadFixtures.hash(#"{ "lines" : [ [ 0 , 0 , { "price_unit" : 2.5 , "qty" : 1 } ] ] ,"name":"Caf\u00e9",  "uuid":"\u0075"}"#), reference)
        XCTAssertEqual(try PayloadFixtures.hash("{\n\t\"name\": \"Caf\\u00E9\",\r\n \"uuid\": \"u\", \"lines\": [[0,0,{\"qty\":1,\"price_unit\":2.5}]]\n}"), reference)
    }

    func testCaptureKeysDoNotChangeTheHash() throws {
        let reference = try PayloadFixtures.hash(#"{"uuid":"u","amount_total":5}"#)
        XCTAssertEqual(try PayloadFixtures.hash(#"{"uuid":"u","amount_total":5,"backup_date":"2026-01-11T02:37:05.412Z","synced":false}"#), reference)
        XCTAssertEqual(try PayloadFixtures.hash(#"{"sync_date":"x","uuid":"u","receipt_html":"<div/>","amount_total":5,"synced":true}"#), reference)
    }

    func testAnyRealChangeChangesTheHash() throws {
        let reference = try PayloadFixtures.hash(#"{"uuid":"u","amount_total":5,"lines":[{"qty":1}],"note":"a"}"#)
        let changed = [
            #"{"uuid":"u","amount_total":5.0,"lines":[{"qty":1}],"note":"a"}"#,
            #"{"uuid":"u","amount_total":5,"lines":[{"qty":2}],"note":"a"}"#,
            #"{"uuid":"u","amount_total":5,"lines":[{"qty":1}],"note":"A"}"#,
            #"{"uuid":"u","amount_total":5,"lines":[],"note":"a"}"#,
            #"{"uuid":"u","amount_total":5,"lines":[{"qty":1}],"note":"a","x":null}"#,
            #"{"uuid":"v","amount_total":5,"lines":[{"qty":1}],"note":"a"}"#,
            #"{"uuid":"u","amount_total":5,"lines":[{"qty":1,"synced":true}],"note":"a"}"#,
        ]
        for text in changed { XCTAssertNotEqual(try PayloadFixtures.hash(text), reference, text) }
    }

    func testHashIsSHA256OfTheCanonicalText() throws {
        let text = #"{"uuid":"u","synced":true}"#
        XCTAssertEqual(try PayloadFixtures.hash(text), SHA256Reference.hex(#"{"uuid":"u"}"#))
    }

    func testDuplicateKeysAndDeepNestingAreRejected() {
        guard case .failure(let duplicate) = OrderDecoder.decode(Array(#"{"uuid":"u","a":{"k":1,"k":2}}"#.utf8)) else {
            return XCTFail("a duplicate key must be rejected")
        }
        XCTAssertTrue(duplicate.reason.contains("duplicate key \"k\""), duplicate.reason)
        let deep = "{\"uuid\":\"u\",\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        guard case .failure(let tooDeep) = OrderDecoder.decode(Array(deep.utf8)) else { return XCTFail("deep nesting must be rejected") }
        XCTAssertTrue(tooDeep.reason.contains("nesting deeper than 512"), tooDeep.reason)
    }
}

/// An independent SHA-256 for the test: the core's.
enum SHA256Reference {
    static func hex(_ text: String) -> String { CadangCore.SHA256.hex(of: Array(text.utf8)) }
}

/// The canonical form equals Python's `json.dumps(sort_keys=True, separators=(",", ":"),
/// ensure_ascii=False)` whenever the numbers are already in Python's form, as in generated samples.
final class PayloadHashPythonTests: XCTestCase {
    func testHashesMatchPythonOnGeneratedOrders() throws {
        let folder = try PayloadFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("orders.jsonl")
        try PayloadFixtures.generate(["--orders", "200", "--shape", "jsonl", "--out", file.path, "--online-copies", "20"])
        let script = """
        import hashlib, json, sys
        for line in open(sys.argv[1], encoding="utf-8"):
            o = json.loads(line)
            for k in ("backup_date", "synced", "sync_date", "receipt_html"): o.pop(k, None)
            print(hashlib.sha256(json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest())
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let python = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        process.waitUntilExit()
        let ours = try PayloadFixtures.ingest(PayloadSplitter(path: file.path)).records.map(\.record.contentSHA256)
        XCTAssertEqual(ours.count, 220)
        XCTAssertEqual(ours, python)
    }
}
