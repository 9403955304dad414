import Foundation
import XCTest

/// Progress (ops §5): drawn in place on a terminal for exports, packing and verify; never on a
/// pipe, with `--json` or with `--quiet`.
final class ProgressTests: XCTestCase {
    static let config = """
        repository: ./backups
        sources:
          gen: { plugin: sample, rows: 100000, columns: 4, tables: [items], delay: 20ms }
        sinks:
          json: { plugin: json }
          usb: { plugin: targz, path: ./usb }
        jobs:
          auto: { sources: [gen], sinks: [json, usb] }
        """
    static let redraw = "\r\u{1B}[K"

    /// Runs the harness binary with its output on a pseudo-terminal.
    func onTerminal(_ arguments: [String], in workspace: Workspace) throws -> CLI.Result {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Terminal/on_tty.py")
        let python = CLI(binary: URL(fileURLWithPath: "/usr/bin/env"))
        return try python.run(["python3", script.path, CLI.harness.binary.path] + arguments, in: workspace.url)
    }

    func testProgressIsDrawnOnATerminal() throws {
        let workspace = try Workspace(config: Self.config)
        let run = try onTerminal(["run", "auto"], in: workspace)
        XCTAssertEqual(run.status, 0, run.stdout)
        XCTAssertTrue(run.stdout.contains(Self.redraw + "export gen.items  "), run.stdout)
        XCTAssertFalse(run.stdout.contains(Self.redraw + "export gen.items  4096 rows"), "the first line waits for a rate to go on: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains(" rows/s"), run.stdout)
        XCTAssertTrue(run.stdout.contains(Self.redraw + "auto: set "), "the ordinary output comes after the line is cleared: \(run.stdout)")
    }

    func testNoProgressOnAPipeWithJSONOrQuiet() throws {
        let workspace = try Workspace(config: Self.config)
        let piped = try CLI.harness.run(["run", "auto"], in: workspace.url)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse((piped.stdout + piped.stderr).contains("\u{1B}"), piped.stderr)
        for arguments in [["run", "auto", "--json"], ["run", "auto", "--quiet"], ["verify", "--json"], ["list", "--json"]] {
            let result = try onTerminal(arguments, in: workspace)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stdout)")
            XCTAssertFalse(result.stdout.contains("\u{1B}[K"), "\(arguments): \(result.stdout)")
        }
    }

    func testTheLineSaysHowMuchOfHowMuchTheRateAndTheTimeLeft() throws {
        // gzip's slowest level on one thread, so packing lasts well past the first redraw (0.2 s)
        // however fast the machine.
        let workspace = try Workspace(config: Self.config.replacingOccurrences(of: "delay: 20ms", with: "delay: 0s")
            .replacingOccurrences(of: "rows: 100000", with: "rows: 400000")
            .replacingOccurrences(of: "path: ./usb }", with: "path: ./usb, level: 12, threads: 1 }"))
        let run = try onTerminal(["run", "auto"], in: workspace)
        XCTAssertEqual(run.status, 0, run.stdout)
        let packing = run.stdout.components(separatedBy: Self.redraw).filter { $0.hasPrefix("pack auto-") }
        let line = try XCTUnwrap(packing.first, run.stdout)
        XCTAssertTrue(line.contains(" MB of ") && line.contains("%)") && line.contains("B/s  ") && line.hasSuffix("s left"), line)
    }
}
