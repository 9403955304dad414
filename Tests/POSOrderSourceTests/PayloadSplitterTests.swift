import XCTest
@testable import POSOrderSource

/// Shapes, boundaries and every per-item rejection of the splitter (and the decoder behind it).
final class PayloadSplitterTests: XCTestCase {
    private let order = #"{"uuid":"u0","lines":[[0,0,{"qty":1}]]}"#

    private func uuids(_ outcome: PayloadFixtures.Outcome) -> [String?] { outcome.records.map(\.record.uuid) }

    func testShapes() throws {
        let array = try PayloadFixtures.ingest("\u{FEFF}\n [ {\"uuid\":\"a\"} ,\n{\"uuid\":\"b\",\"s\":\"]}\\\"{\"} ]\n")
        XCTAssertEqual(uuids(array), ["a", "b"])
        XCTAssertTrue(array.rejections.isEmpty)
        let single = try PayloadFixtures.ingest("{\n  \"uuid\": \"a\",\n  \"records\": 3\n}\n")
        XCTAssertEqual(uuids(single), ["a"])
        let lines = try PayloadFixtures.ingest("{\"uuid\":\"a\"}\r\n\n{\"uuid\":\"b\"}\n[{\"uuid\":\"c\"},{\"uuid\":\"d\"}]\n")
        XCTAssertEqual(uuids(lines), ["a", "b", "c", "d"])
        XCTAssertEqual(lines.records.map(\.index), [0, 1, 2, 3])
        let pretty = try PayloadFixtures.ingest("{\n \"uuid\": \"a\"\n}\n{\n \"uuid\": \"b\"\n}\n")
        XCTAssertEqual(uuids(pretty), ["a", "b"])
    }

    func testEmptyInputsGiveNothing() throws {
        for text in ["", "  \n", "\u{FEFF}", "[]", " [ ]\n"] {
            XCTAssertEqual(try PayloadFixtures.events(text), [], "\(Array(text.utf8))")
        }
    }

    func testNotJSONFile() throws {
        for text in ["hello, world", "\u{89}PNG\r\n", "42\n{\"uuid\":\"a\"}"] {
            XCTAssertEqual(try PayloadFixtures.events(text), [.rejected(index: nil, reason: PayloadReason.notJSON)])
        }
    }

    func testItemsThatAreNotObjectsAreRejectedAndTheRestKept() throws {
        let outcome = try PayloadFixtures.ingest(#"[{"uuid":"a"}, 42, "x", [1], null, {"uuid":"b"}]"#)
        XCTAssertEqual(uuids(outcome), ["a", "b"])
        XCTAssertEqual(outcome.records.map(\.index), [0, 5])
        XCTAssertEqual(outcome.rejections.map(\.index), [1, 2, 3, 4])
        XCTAssertTrue(outcome.rejections.allSatisfy { $0.reason.contains("not an object") }, "\(outcome.rejections)")
    }

    func testOversizedItemIsSkippedWithoutBuffering() throws {
        let big = #"{"uuid":"big","note":""# + String(repeating: "x", count: 5_000) + #""}"#
        let text = "[" + order + "," + big + "," + order.replacingOccurrences(of: "u0", with: "u2") + "]"
        let events = try PayloadFixtures.events(Array(text.utf8), maxItemBytes: 1_000, windowCapacity: 64)
        XCTAssertEqual(events.count, 3)
        XCTAssertEqual(events[1].rejection?.index, 1)
        XCTAssertEqual(events[1].rejection?.reason, "line 1: item is \(big.utf8.count) bytes, over max_item_bytes (1000)")
        XCTAssertEqual(events[2].item?.index, 2)
        XCTAssertEqual(events[2].item?.bytes, Array(order.replacingOccurrences(of: "u0", with: "u2").utf8))
    }

    func testMalformedJSONLinesLineIsRejectedAndTheNextRead() throws {
        let text = order + "\n" + #"{"uuid": "broken", "lines": [ }"# + "\n" + #"{"uuid":"c"} trailing"# + "\n" + "nonsense\n" + #"{"uuid":"d"}"#
        let outcome = try PayloadFixtures.ingest(text)
        XCTAssertEqual(uuids(outcome), ["u0", "c", "d"])
        XCTAssertEqual(outcome.records.map(\.index), [0, 2, 5])
        XCTAssertEqual(outcome.rejections.map(\.index), [1, 3, 4])
        XCTAssertEqual(outcome.rejections[0].reason, "line 2: malformed JSON (the line ends inside an object); the line is skipped")
        XCTAssertTrue(outcome.rejections[1].reason.hasPrefix("line 3: "), outcome.rejections[1].reason)
        XCTAssertEqual(outcome.rejections[2].reason, "line 4: not an object or an array of objects; the line is skipped")
    }

    func testBrokenFirstLineOfJSONLines() throws {
        let outcome = try PayloadFixtures.ingest("{\"uuid\": \"a\",\n{\"uuid\":\"b\"}\n{\"uuid\":\"c\"}\n")
        XCTAssertEqual(uuids(outcome), ["b", "c"])
        XCTAssertEqual(outcome.rejections.map(\.index), [0])
        XCTAssertTrue(outcome.rejections[0].reason.hasPrefix("line 1: malformed JSON"), outcome.rejections[0].reason)
    }

    func testDecoderRejectionsInJSONLinesNameTheLine() throws {
        let outcome = try PayloadFixtures.ingest(order + "\n" + #"{"name":"Shop/1"}"# + "\n" + #"{"uuid":"x","a":[1,]}"# + "\n")
        XCTAssertEqual(outcome.rejections.map(\.index), [1, 2])
        XCTAssertEqual(outcome.rejections[0].reason, "line 2: no uuid, access_token or order reference")
        XCTAssertTrue(outcome.rejections[1].reason.hasPrefix("line 3: malformed JSON at byte 19 of the item (expected a value)"), outcome.rejections[1].reason)
    }

    func testStructuralErrorInAnArrayRejectsTheRestOnce() throws {
        let text = "[\n" + order + ",\n" + order.replacingOccurrences(of: "u0", with: "u1") + "\n" + order + ",\n" + order + "\n]"
        let outcome = try PayloadFixtures.ingest(text)
        XCTAssertEqual(uuids(outcome), ["u0", "u1"])
        XCTAssertEqual(outcome.rejections.count, 1)
        XCTAssertEqual(outcome.rejections[0].index, 2)
        XCTAssertTrue(outcome.rejections[0].reason.hasPrefix("malformed JSON at byte"), outcome.rejections[0].reason)
        XCTAssertTrue(outcome.rejections[0].reason.hasSuffix("cannot find the next item boundary; the rest of the file is skipped"))
        let truncated = try PayloadFixtures.ingest("[\n" + order + ",\n" + #"{"uuid":"u1","lines":[[0,0,{"#)
        XCTAssertEqual(uuids(truncated), ["u0"])
        XCTAssertEqual(truncated.rejections.map(\.index), [1])
        XCTAssertTrue(truncated.rejections[0].reason.contains("the input ends inside an item"), truncated.rejections[0].reason)
    }

    func testInvalidUTF8InsideAnItem() throws {
        var bytes = Array("[".utf8) + Array(order.utf8) + Array(",{\"uuid\":\"b\",\"name\":\"".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"},".utf8) + Array(order.utf8) + Array("]".utf8)
        let outcome = try PayloadFixtures.ingest(bytes)
        XCTAssertEqual(outcome.records.map(\.index), [0, 2])
        XCTAssertEqual(outcome.rejections.map(\.index), [1])
        XCTAssertEqual(outcome.rejections.first?.reason, "line 1: invalid UTF-8 at byte 20 of the item")
        for bad: [UInt8] in [[0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xFF]] {
            let item = Array(#"{"uuid":""#.utf8) + bad + Array(#""}"#.utf8)
            guard case .failure(let rejection) = OrderDecoder.decode(item) else { return XCTFail("\(bad) must be rejected") }
            XCTAssertTrue(rejection.reason.hasPrefix("invalid UTF-8"), rejection.reason)
        }
    }

    func testItemWithoutIdentity() throws {
        guard case .failure(let rejection) = OrderDecoder.decode(Array(#"{"name":"Shop/0017","uuid":"","access_token":false}"#.utf8)) else {
            return XCTFail("an order without identity must be rejected")
        }
        XCTAssertEqual(rejection.reason, "no uuid, access_token or order reference")
        let byReference = try PayloadFixtures.decoded(Array(#"{"name":"Pesanan 00042-003-0017"}"#.utf8))
        XCTAssertEqual(byReference.keyKind, .reference)
        XCTAssertEqual(byReference.key, "00042-003-0017")
    }

    func testItemsSurviveTinyWindows() throws {
        let text = "\u{FEFF}" + #"{"database":"pos_order_backup_5","records":[{"uuid":"a","s":"\"}]"},{"uuid":"b"}]}"#
        let events = try PayloadFixtures.events(Array(text.utf8), windowCapacity: 16)
        XCTAssertEqual(events.compactMap(\.item).map { String(decoding: $0.bytes, as: UTF8.self) },
                       [#"{"uuid":"a","s":"\"}]"}"#, #"{"uuid":"b"}"#])
        XCTAssertEqual(events.compactMap(\.item).map(\.fallbackConfigID), [5, 5])
    }

    func testUnreadableFileThrows() {
        XCTAssertThrowsError(try PayloadSplitter(path: "/nonexistent/cadang/orders.json"))
    }
}
