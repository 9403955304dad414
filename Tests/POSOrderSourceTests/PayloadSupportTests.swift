import Foundation
import XCTest
@testable import POSOrderSource

/// What the payload tests share: temporary folders, running the splitter and the decoder, and the
/// sample generator (`Scripts/pos-sample-payloads`).
enum PayloadFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh temporary folder; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-payload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// All events of splitting bytes (through a real file when `viaFile`).
    static func events(_ bytes: [UInt8], maxItemBytes: Int = 1 << 20, windowCapacity: Int = PayloadWindow.defaultCapacity) throws -> [PayloadEvent] {
        let splitter = PayloadSplitter(source: BufferPayloadSource(bytes: bytes), maxItemBytes: maxItemBytes, windowCapacity: windowCapacity)
        return try splitter.allEvents()
    }

    static func events(_ text: String, maxItemBytes: Int = 1 << 20) throws -> [PayloadEvent] {
        try events(Array(text.utf8), maxItemBytes: maxItemBytes)
    }

    /// Items and rejections (splitter's and decoder's), as the store will see them.
    struct Outcome {
        var records: [(index: Int, record: OrderRecord)] = []
        var rejections: [(index: Int?, reason: String)] = []
    }

    static func ingest(_ splitter: PayloadSplitter) throws -> Outcome {
        var decoder = OrderDecoder()
        var outcome = Outcome()
        while let event = try splitter.next() {
            switch event {
            case .item(let item):
                switch decoder.decode(item) {
                case .success(let record): outcome.records.append((item.index, record))
                case .failure(let rejection): outcome.rejections.append((item.index, rejection.reason))
                }
            case .rejected(let index, let reason):
                outcome.rejections.append((index, reason))
            }
        }
        return outcome
    }

    static func ingest(_ bytes: [UInt8], maxItemBytes: Int = 1 << 20) throws -> Outcome {
        try ingest(PayloadSplitter(bytes: bytes, maxItemBytes: maxItemBytes))
    }

    static func ingest(_ text: String, maxItemBytes: Int = 1 << 20) throws -> Outcome {
        try ingest(Array(text.utf8), maxItemBytes: maxItemBytes)
    }

    static func decoded(_ bytes: [UInt8]) throws -> OrderRecord {
        try OrderDecoder.decode(bytes).get()
    }

    static func hash(_ text: String) throws -> String {
        var decoder = OrderDecoder()
        return try decoder.contentHash(of: Array(text.utf8)).get()
    }

    /// Runs the sample generator; returns its JSON summary.
    @discardableResult
    static func generate(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("Scripts/pos-sample-payloads").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}

extension PayloadEvent {
    var item: PayloadItem? {
        if case .item(let item) = self { return item }
        return nil
    }

    var rejection: (index: Int?, reason: String)? {
        if case .rejected(let index, let reason) = self { return (index, reason) }
        return nil
    }
}
