import CadangCore
import Foundation
import XCTest

/// The core's runner for external programs: argv as given, output streamed, errors by line.
final class ExternalProgramTests: XCTestCase {
    private let shell = ExternalProgram(name: "sh", path: "/bin/sh")

    func testFindLooksOnlyAtPath() {
        XCTAssertEqual(ExternalProgram.find("sh", environment: ["PATH": "/nonexistent:/bin"])?.path, "/bin/sh")
        XCTAssertNil(ExternalProgram.find("sh", environment: ["PATH": "/nonexistent"]))
    }

    func testArgumentsReachTheProgramAsTheyAreAndInputIsItsStandardInput() throws {
        let output = try shell.run(["-c", "printf '%s|' \"$@\"; cat; echo oops >&2; exit 7", "sh", "a b", "$HOME", "*"], input: "fed\n")
        XCTAssertEqual(output.stdout, "a b|$HOME|*|fed\n")
        XCTAssertEqual(output.status, 7)
        XCTAssertEqual(output.reason, "oops")
    }

    func testOutputIsStreamedInChunksAndErrorsComeByLine() throws {
        var total = 0
        var largest = 0
        var lines: [String] = []
        let output = try shell.run(["-c", "head -c 50000000 /dev/zero; printf 'one\\ntwo\\nthree' >&2"], standardOutput: { chunk in
            total += chunk.count
            largest = max(largest, chunk.count)
        }, errorLine: { lines.append($0) })
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(total, 50_000_000)
        XCTAssertLessThanOrEqual(largest, 1 << 20, "never more than one buffer at a time")
        XCTAssertEqual(lines, ["one", "two", "three"])
        XCTAssertEqual(output.stdout, "")
    }

    func testAConsumerThatThrowsStopsTheProgram() throws {
        struct Enough: Error {}
        let started = Date()
        XCTAssertThrowsError(try shell.run(["-c", "exec yes"], standardOutput: { _ in throw Enough() })) { error in
            XCTAssertTrue(error is Enough)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testAProgramThatCannotStartIsACadangError() {
        XCTAssertThrowsError(try ExternalProgram(name: "none", path: "/nonexistent/none").run([])) { error in
            XCTAssertTrue((error as? CadangError)?.message.contains("cannot start /nonexistent/none") == true, "\(error)")
        }
    }
}
