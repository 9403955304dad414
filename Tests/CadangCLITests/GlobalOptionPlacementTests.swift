import ArgumentParser
@testable import CadangCLI
import XCTest

/// What `GlobalOptionPlacement` hands the parser.
final class GlobalOptionPlacementTests: XCTestCase {
    private func arranged(_ words: [String]) throws -> [String] {
        try GlobalOptionPlacement.arranged(words, root: CadangCommand.self)
    }

    func testGlobalsBeforeOrBetweenSubcommandNamesGoAfterThem() throws {
        XCTAssertEqual(try arranged(["--config", "f.yaml", "run", "auto"]), ["run", "--config", "f.yaml", "auto"])
        XCTAssertEqual(try arranged(["--config=f.yaml", "--quiet", "list", "--json"]), ["list", "--config=f.yaml", "--quiet", "--json"])
        XCTAssertEqual(try arranged(["--verbose", "config", "--config", "f", "check"]), ["config", "check", "--verbose", "--config", "f"])
        XCTAssertEqual(try arranged(["--quiet", "cleanup", "auto"]), ["cleanup", "--quiet", "auto"])
    }

    func testWordsAfterTheSubcommandAreLeftAlone() throws {
        for words in [["run", "auto", "--config", "f"], ["restore", "--to", "--quiet"], ["run", "--", "--config"], ["run", "list"]] {
            XCTAssertEqual(try arranged(words), words)
        }
    }

    /// A value is a value even when spelled like a subcommand or an option.
    func testTheWordAfterConfigIsItsValue() throws {
        XCTAssertEqual(try arranged(["--config", "list", "run"]), ["run", "--config", "list"])
        XCTAssertEqual(try arranged(["--config", "--quiet", "run"]), ["run", "--config", "--quiet"])
    }

    func testWithoutASubcommandTheGlobalsAreDropped() throws {
        XCTAssertEqual(try arranged(["--quiet", "--help"]), ["--help"])
        XCTAssertEqual(try arranged(["--config", "f", "--version"]), ["--version"])
        XCTAssertEqual(try arranged(["--quiet", "help", "run"]), ["help", "run"])
    }

    func testAMissingValueOrSubcommandIsAUsageError() {
        XCTAssertThrowsError(try arranged(["--config"])) { XCTAssertTrue($0 is ValidationError) }
        XCTAssertThrowsError(try arranged(["--config", "f"])) { XCTAssertTrue($0 is ValidationError) }
        // After a subcommand, ArgumentParser reports the missing value with that subcommand's usage.
        XCTAssertEqual(try arranged(["--quiet", "run", "--config"]), ["run", "--quiet", "--config"])
    }
}
