import CadangCore
import Foundation
import SinkTestKit
import XCTest

/// The kit must catch the mistakes it claims to: a sink that does each wrong thing is flagged.
final class SinkConformanceTests: XCTestCase {
    /// Writes one line per batch and per row; misbehaves in the ways its options say.
    struct FlawedSink: Sink {
        static let descriptor = PluginDescriptor(kind: .sink, name: "flawed", summary: "A sink with switchable flaws.", options: [
            OptionSpec("mark_batches", .boolean, default: .boolean(false), doc: "Write a line per batch."),
            OptionSpec("skip_utf8_check", .boolean, default: .boolean(false), doc: "Copy text bytes as they are."),
        ])
        let markBatches: Bool
        let skipCheck: Bool
        init(configuration: PluginConfiguration) throws {
            markBatches = configuration.options.bool("mark_batches") ?? false
            skipCheck = configuration.options.bool("skip_utf8_check") ?? false
        }
        var fileExtension: String? { "txt" }
        func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
            Writer(sink: self, artifact: artifact, warnings: warnings)
        }

        final class Writer: TableWriter {
            let sink: FlawedSink
            let artifact: ArtifactWriter
            let warnings: WarningLog
            var text = TextCells()
            init(sink: FlawedSink, artifact: ArtifactWriter, warnings: WarningLog) {
                self.sink = sink
                self.artifact = artifact
                self.warnings = warnings
            }
            func write(_ batch: RowBatch) throws {
                if sink.markBatches { artifact.write("--batch--\n") }
                batch.withBytes { arena in
                    for row in 0..<batch.rowCount {
                        if case .text(let range) = batch.cell(row: row, column: 1) {
                            if sink.skipCheck {
                                artifact.write(UnsafeBufferPointer(rebasing: arena[range]))
                            } else {
                                text.withValidUTF8(arena, range) { artifact.write($0) }
                            }
                        }
                        artifact.write(10)
                    }
                }
            }
            func finish() throws { text.report(to: warnings, artifact: artifact.path) }
        }
    }

    private var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-kit-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    func testACorrectSinkPasses() {
        XCTAssertEqual(SinkConformance(harness: SinkHarness(root: root)).problems(of: FlawedSink.self), [])
    }

    func testOutputThatDependsOnBatchBoundariesIsFlagged() {
        let problems = SinkConformance(harness: SinkHarness(root: root)).problems(of: FlawedSink.self, options: ["mark_batches": .boolean(true)])
        XCTAssertTrue(problems.contains("output differs when rows arrive in batches of 1"), "\(problems)")
        XCTAssertTrue(problems.contains("an empty batch changes the output"), "\(problems)")
    }

    func testInvalidUTF8PassedThroughSilentlyIsFlagged() {
        let problems = SinkConformance(harness: SinkHarness(root: root)).problems(of: FlawedSink.self, options: ["skip_utf8_check": .boolean(true)])
        XCTAssertEqual(problems, ["invalid UTF-8 in a text cell raised no warning"])
    }
}
