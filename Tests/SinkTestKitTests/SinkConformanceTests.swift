import CadangCore
import Foundation
import SinkTestKit
import XCTest

/// The kit must catch the mistakes it claims to: a correct sink passes, and a sink that makes each
/// mistake of DESIGN.md §3 is flagged with a problem that names it.
final class SinkConformanceTests: XCTestCase {
    private var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cadang-kit-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    private var kit: SinkConformance { SinkConformance(harness: SinkHarness(root: root)) }

    /// The kit's problems with a `lines` sink built with `flaw`, for `audience`.
    private func problems(flaw: String = "none", audience: String = "people", header: Bool = true,
                          reader: LineReader? = nil) -> [String] {
        kit.problems(of: LineSink.self, options: ["flaw": .string(flaw), "audience": .string(audience), "header": .boolean(header)],
                     reader: reader ?? LineReader(header: header))
    }

    /// Asserts that some problem starts with `phrase` (and mentions `detail`, when given).
    private func assertFlagged(_ problems: [String], _ phrase: String, mentioning detail: String? = nil,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(problems.contains { $0.hasPrefix(phrase) && detail.map($0.contains) ?? true },
                      "expected a problem '\(phrase)…'\(detail.map { " mentioning '\($0)'" } ?? ""), got:\n\(problems.joined(separator: "\n"))",
                      file: file, line: line)
    }

    // MARK: - Table sinks

    func testACorrectSinkPassesForEveryAudience() {
        for audience in ["people", "programs", "everyone"] {
            XCTAssertEqual(problems(audience: audience), [], audience)
        }
    }

    func testACorrectSinkWithoutColumnLabelsPasses() {
        XCTAssertEqual(problems(audience: "programs", header: false), [])
    }

    func testASinkThatDropsAColumnIsFlagged() {
        let found = problems(flaw: "drops-column")
        assertFlagged(found, "drops a column", mentioning: "'note' is missing")
        XCTAssertFalse(found.contains { $0.hasPrefix("mangles a value") }, "the other columns are still compared by label: \(found)")
    }

    func testASinkThatDropsAColumnIsFlaggedWithoutLabelsToo() {
        assertFlagged(problems(flaw: "drops-column", header: false), "drops a column",
                      mentioning: "rows have 5 values; the 6 columns for people are id, text, number, shown, data, note")
    }

    func testASinkThatReordersRowsIsFlagged() {
        assertFlagged(problems(flaw: "reorders-rows"), "reorders rows", mentioning: "one batch")
    }

    func testASinkThatLosesRowsIsFlagged() {
        let found = problems(flaw: "loses-rows")
        assertFlagged(found, "loses rows", mentioning: "read back 252 of 257 rows; row 49 is missing and 4 more")
        XCTAssertFalse(found.contains { $0.hasPrefix("mangles a value") }, "a lost row is not every later row mangled: \(found)")
    }

    func testASinkThatManglesAValueIsFlagged() {
        assertFlagged(problems(flaw: "mangles-reals"), "mangles a value", mentioning: "column 'number': sent real 0.1")
    }

    func testASinkThatIgnoresItsAudienceIsFlagged() {
        assertFlagged(problems(flaw: "ignores-audience", audience: "people"), "ignores its audience",
                      mentioning: "carries column 'stored', meant for programs only, in an export for people")
        assertFlagged(problems(flaw: "ignores-audience", audience: "programs"), "ignores its audience",
                      mentioning: "carries column 'shown', meant for people only, in an export for programs")
    }

    func testASinkThatIgnoresItsAudienceIsFlaggedWithoutLabelsToo() {
        assertFlagged(problems(flaw: "ignores-audience", audience: "programs", header: false), "ignores its audience",
                      mentioning: "rows have 7 values, one per column of the table; a sink for programs carries only its 6")
    }

    func testASinkThatWritesNothingIsFlagged() {
        assertFlagged(problems(flaw: "writes-nothing"), "writes nothing", mentioning: "the export of 257 rows is an empty file")
    }

    func testASinkThatWritesAHeaderPerBatchIsFlagged() {
        let found = problems(flaw: "header-per-batch")
        assertFlagged(found, "depends on batch boundaries", mentioning: "batches of 7")
        assertFlagged(found, "adds rows", mentioning: "batches of 7")
    }

    func testASinkThatLosesTheLastShortBatchIsFlagged() {
        let found = problems(flaw: "loses-short-batch")
        assertFlagged(found, "depends on batch boundaries", mentioning: "batches of 7")
        assertFlagged(found, "loses rows (table 'mixed', batches of 7): read back 252 of 257 rows; row 252 is missing and 4 more")
        assertFlagged(found, "loses rows (table 'mixed', batches of 64): read back 256 of 257 rows; row 256 is missing")
    }

    func testInvalidUTF8PassedOnSilentlyIsFlagged() {
        let found = problems(flaw: "skips-utf8-check")
        assertFlagged(found, "warns about nothing", mentioning: "invalid UTF-8 in a text cell raised no warning")
        assertFlagged(found, "cannot be read back", mentioning: "invalid UTF-8")
    }

    func testEveryValueIsComparedUnderTheDocumentedRules() {
        // A correct sink read under rules it does not document (typed numbers) fails: the kit
        // compares each value with what the rules say it must read back as.
        var reader = LineReader()
        reader.rules.numbers = .typed
        assertFlagged(problems(reader: reader), "mangles a value", mentioning: "column 'id': sent integer 0, read back text \"0\"")
    }

    func testASinkWhoseFileIsWrittenByPathAndRecordedPasses() {
        XCTAssertEqual(problems(flaw: "writes-by-path"), [])
    }

    func testASinkThatWritesByPathWithoutRecordingIsFlagged() {
        assertFlagged(problems(flaw: "writes-by-path-unrecorded"), "threw", mentioning: "without recording it")
    }

    func testATableSinkNeedsAnExportReader() {
        let found = kit.problems(of: LineSink.self, copyReader: FolderCopyReader(folder: root))
        XCTAssertEqual(found, ["writes table exports (fileExtension 'lines'): check it with an ExportReader"])
    }

    // MARK: - Whole-set sinks

    private func copyProblems(flaw: String = "none") -> [String] {
        let folder = root.appendingPathComponent("copies-\(flaw)", isDirectory: true)
        return kit.problems(of: FolderCopySink.self, options: ["path": .string(folder.path), "flaw": .string(flaw)],
                            copyReader: FolderCopyReader(folder: folder))
    }

    func testACorrectWholeSetSinkPasses() {
        XCTAssertEqual(copyProblems(), [])
    }

    func testAWholeSetSinkThatWritesNothingIsFlagged() {
        assertFlagged(copyProblems(flaw: "writes-nothing"), "writes nothing (the copy, set 1, set 2): no file of the set is in what the sink made")
    }

    func testAWholeSetSinkThatLosesAFileIsFlagged() {
        assertFlagged(copyProblems(flaw: "loses-file"), "loses files", mentioning: "'mixed.kit' is not in the copy")
    }

    func testAWholeSetSinkThatLosesRowsIsFlagged() {
        let found = copyProblems(flaw: "truncates-table")
        assertFlagged(found, "changes files", mentioning: "'mixed.kit'")
        assertFlagged(found, "loses rows", mentioning: "read back 237 of 257 rows; row 237 is missing and 19 more")
    }

    func testAWholeSetSinkNeedsACopyReader() {
        let folder = root.appendingPathComponent("copies", isDirectory: true)
        let found = kit.problems(of: FolderCopySink.self, options: ["path": .string(folder.path)], reader: LineReader())
        XCTAssertEqual(found, ["writes no table exports (fileExtension is nil): check it with a CopyReader"])
    }
}
