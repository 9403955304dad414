import Foundation
import XCTest

/// Docs/writing-a-sink.md shows the example sink and its test in full; these are the files the
/// build compiles and the kit runs, so the guide fails a test as soon as it drifts from them.
final class GuideTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The files the guide shows, and the one change between a guide block and its file: here the
    /// example is the `ExampleSink` target, in the guide it is a new plugin target `TSVSink`.
    private static let shown = [
        "Tests/ExampleSink/TSVSink.swift": [String: String](),
        "Tests/ExampleSinkTests/TSVSinkTests.swift": ["import ExampleSink\n": "import TSVSink\n"],
    ]

    func testTheGuideShowsTheExampleFilesExactly() throws {
        let guide = try String(contentsOf: Self.root.appendingPathComponent("Docs/writing-a-sink.md"), encoding: .utf8)
        let blocks = Self.checkedBlocks(in: guide)
        XCTAssertEqual(Set(blocks.keys), Set(Self.shown.keys), "the guide marks a block for each example file")
        for (path, replacements) in Self.shown {
            var expected = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            for (from, to) in replacements {
                XCTAssertTrue(expected.contains(from), "\(path) contains \(from.debugDescription)")
                expected = expected.replacingOccurrences(of: from, with: to)
            }
            guard let block = blocks[path] else { continue }
            let got = block.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            if let line = zip(got, want).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                XCTFail("the guide's copy of \(path) differs at line \(line + 1):\n  guide: \(got[line])\n  file:  \(want[line])")
            } else {
                XCTAssertEqual(got.count, want.count, "the guide's copy of \(path) has \(got.count) lines, the file \(want.count)")
            }
        }
    }

    /// Each fenced block that follows a `<!-- same as PATH … -->` line, by PATH.
    static func checkedBlocks(in markdown: String) -> [String: String] {
        var blocks: [String: String] = [:]
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard line.hasPrefix("<!-- same as "), let path = line.dropFirst("<!-- same as ".count).split(separator: " ").first,
                  index < lines.count, lines[index].hasPrefix("```") else { continue }
            index += 1
            var body: [String] = []
            while index < lines.count, lines[index] != "```" {
                body.append(lines[index])
                index += 1
            }
            blocks[String(path)] = body.joined(separator: "\n") + "\n"
        }
        return blocks
    }
}
