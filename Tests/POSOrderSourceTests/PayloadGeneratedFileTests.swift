#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import POSOrderSource

/// Large generated files (Scripts/pos-sample-payloads): counts at scale, and memory that stays flat.
final class PayloadGeneratedFileTests: XCTestCase {
    func testTwentyThousandLinesWithABrokenOneInTheMiddle() throws {
        let folder = try PayloadFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("orders.jsonl")
        try PayloadFixtures.generate(["--orders", "20000", "--shape", "jsonl", "--out", file.path])
        // Break line 10,001 (item 10,000) by cutting it short.
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines[10_000] = lines[10_000].prefix(200)
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let outcome = try PayloadFixtures.ingest(PayloadSplitter(path: file.path))
        XCTAssertEqual(outcome.records.count, 19_999)
        XCTAssertEqual(outcome.rejections.count, 1)
        XCTAssertEqual(outcome.rejections.first?.index, 10_000)
        XCTAssertEqual(outcome.rejections.first?.reason.hasPrefix("line 10001: malformed JSON"), true, "\(outcome.rejections)")
        XCTAssertEqual(Set(outcome.records.map(\.record.key)).count, 19_999)
        XCTAssertEqual(Set(outcome.records.map(\.record.reference)).count, 19_999)
        // The generated orders add up.
        for (_, record) in outcome.records.prefix(500) {
            let lines = record.lines.compactMap(\.priceSubtotalIncl).reduce(0, +)
            XCTAssertEqual(lines, record.amountTotal ?? -1, accuracy: 0.005)
            XCTAssertEqual(record.payments.compactMap(\.amount).reduce(0, +), record.amountPaid ?? -1, accuracy: 0.005)
        }
    }

    func testBrokenSamplesInEveryShape() throws {
        let folder = try PayloadFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for shape in ["jsonl", "array", "wrapper"] {
            let file = folder.appendingPathComponent("broken.\(shape)")
            let summary = try PayloadFixtures.generate(["--orders", "300", "--shape", shape, "--out", file.path,
                                                        "--broken", "--online-copies", "20", "--seed", "7"])
            let broken = (summary["broken"] as? [String: String]) ?? [:]
            let outcome = try PayloadFixtures.ingest(PayloadSplitter(path: file.path))
            XCTAssertEqual(outcome.records.count, 320, shape)
            XCTAssertEqual(Set(outcome.rejections.compactMap(\.index).map(String.init)), Set(broken.keys), "\(shape): \(outcome.rejections)")
            XCTAssertEqual(Set(outcome.records.map(\.record.key)).count, 300, shape)
            if shape == "wrapper" { XCTAssertTrue(outcome.records.allSatisfy { $0.record.configID != nil }) }
        }
    }

    /// Peak RSS while streaming a generated array: splitting and decoding ~100 MB and then ~300 MB
    /// must not grow the process (the file never sits in memory), and stays under 100 MB.
    func testStreamingKeepsMemoryFlat() throws {
        let folder = try PayloadFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small.json")
        let large = folder.appendingPathComponent("large.json")
        try PayloadFixtures.generate(["--orders", "2000", "--shape", "array", "--out", small.path])
        // Repeat the same items to reach the size quickly (the splitter does not care about keys).
        let body = try Data(contentsOf: small).dropFirst(2).dropLast(3)
        func write(_ url: URL, copies: Int) throws {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.write(contentsOf: Data("[\n".utf8))
            for copy in 0..<copies {
                try handle.write(contentsOf: body)
                try handle.write(contentsOf: Data((copy + 1 < copies ? ",\n" : "\n]\n").utf8))
            }
        }
        let copies = max(1, (300 << 20) / body.count)
        try write(large, copies: copies)
        let size = try FileManager.default.attributesOfItem(atPath: large.path)[.size] as? Int ?? 0
        XCTAssertGreaterThan(size, 250 << 20)

        // The test bundle alone peaks above 100 MB while it loads, so the peak is reset first
        // (Linux: writing 5 to clear_refs resets VmHWM) and read back from /proc.
        let reset = resetPeakResident()
        let before = peakResidentBytes()
        var decoder = OrderDecoder()
        var items = 0
        var rejected = 0
        let splitter = try PayloadSplitter(path: large.path)
        while let event = try splitter.next() {
            guard case .item(let item) = event else { rejected += 1; continue }
            // Decode a sample (debug builds are slow); splitting covers every byte.
            if items % 50 == 0, case .failure = decoder.decode(item) { rejected += 1 }
            items += 1
        }
        let after = peakResidentBytes()
        print("peak RSS streaming \(size >> 20) MB: \(before >> 20) MB before, \(after >> 20) MB after (reset: \(reset))")
        XCTAssertEqual(items, copies * 2000)
        XCTAssertEqual(rejected, 0)
        // Run with the rest of the suite, the process already holds more than 100 MB of other tests'
        // memory, so what this test owns is the growth; the absolute < 100 MB line belongs to
        // Scripts/bench, which streams the file in a process of its own.
        XCTAssertLessThan(after - before, 40 << 20, "peak RSS grew from \(before >> 20) MB to \(after >> 20) MB")
    }

    /// The process's peak resident size: VmHWM when /proc has it, else getrusage's ru_maxrss.
    private func peakResidentBytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") {
            return kilobytes * 1024
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        // Linux reports kilobytes.
        return Int(usage.ru_maxrss) * 1024
    }

    private func resetPeakResident() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }
}
