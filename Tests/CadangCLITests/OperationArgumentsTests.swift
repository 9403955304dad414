import ArgumentParser
@testable import CadangCLI
import XCTest

/// The words `verify`, `restore` and `prune` leave to their sources' operations.
final class OperationArgumentsTests: XCTestCase {
    private func parsed(_ words: [String]) throws -> OperationArguments {
        try OperationArguments(parsing: words)
    }

    func testJobAndOptionsInAnyOrder() throws {
        let expected = ["states": "done", "deep": "true", "since": "2026-01-01"]
        for words in [["pos", "--states", "done", "--since=2026-01-01", "--deep"],
                      ["--states", "done", "pos", "--deep", "--since", "2026-01-01"],
                      ["--since=2026-01-01", "--deep=true", "--states=done", "pos"]] {
            let arguments = try parsed(words)
            XCTAssertEqual(arguments.job, "pos", "\(words)")
            XCTAssertEqual(arguments.options, expected, "\(words)")
        }
    }

    func testNoJob() throws {
        XCTAssertEqual(try parsed([]), OperationArguments())
        XCTAssertEqual(try parsed(["--deep"]).options, ["deep": "true"])
        XCTAssertNil(try parsed(["--deep"]).job)
    }

    /// A flag before a word takes it as its value: the grammar does not know the plugins' flags.
    func testAFlagBeforeAWordTakesItAsItsValue() throws {
        let arguments = try parsed(["--deep", "pos"])
        XCTAssertNil(arguments.job)
        XCTAssertEqual(arguments.options, ["deep": "pos"])
    }

    /// After JOB, more words after a value are more values (`--select K1 K2`), one per line; before
    /// JOB, the next word is JOB.
    func testMoreWordsAfterAValueAreMoreValuesOnceTheJobIsKnown() throws {
        let arguments = try parsed(["pos", "--select", "k1", "k2", "k3", "--deep", "--to=d", "e"])
        XCTAssertEqual(arguments.job, "pos")
        XCTAssertEqual(arguments.options, ["select": "k1\nk2\nk3", "deep": "true", "to": "d\ne"])
        let before = try parsed(["--select", "k1", "pos", "--deep"])
        XCTAssertEqual(before.job, "pos")
        XCTAssertEqual(before.options, ["select": "k1", "deep": "true"])
    }

    func testValuesMayContainEqualsSignsAndBeEmpty() throws {
        XCTAssertEqual(try parsed(["--filter=a=b", "--note="]).options, ["filter": "a=b", "note": ""])
        // A lone "-" is a word (standard input, by convention), not an option.
        XCTAssertEqual(try parsed(["--file", "-"]).options, ["file": "true"])
        XCTAssertEqual(try parsed(["-"]).job, "-")
    }

    func testAfterTheTerminatorEveryWordIsTheJob() throws {
        let arguments = try parsed(["--deep", "--", "--odd-job-name"])
        XCTAssertEqual(arguments.job, "--odd-job-name")
        XCTAssertEqual(arguments.options, ["deep": "true"])
    }

    func testMalformedWordsAreUsageErrors() {
        for words in [["a", "b"], ["-x"], ["--=x"], ["--deep", "--deep"], ["--a=1", "--a", "2"]] {
            XCTAssertThrowsError(try parsed(words), "\(words)") { error in
                XCTAssertTrue(error is ValidationError, "\(words): \(error)")
            }
        }
    }

    func testCommandsTakeTheJobFromTheWordsAndKeepTheirOwnOptions() throws {
        let verify = try VerifyCommand.parse(["auto", "--set", "latest", "--json", "--config", "x.yaml"])
        XCTAssertEqual(verify.job, "auto")
        XCTAssertEqual(verify.set, "latest")
        XCTAssertTrue(verify.json)
        XCTAssertEqual(verify.global.config, "x.yaml")
        XCTAssertEqual(verify.operationOptions, [:])

        let restore = try RestoreCommand.parse(["--to", "/tmp/x", "database", "--yes"])
        XCTAssertEqual(restore.job, "database")
        XCTAssertEqual(restore.destination, "/tmp/x")

        let prune = try PruneCommand.parse(["--keep-last", "-1", "auto"])
        XCTAssertEqual(prune.job, "auto")
        XCTAssertEqual(prune.rules, ["keep_last": "-1"])
    }

    /// ArgumentParser still reports its own options when malformed; operation options reach the
    /// command, by their declared names, for the host to check.
    func testMalformedKnownOptionsAreStillErrorsAndOperationOptionsReachTheCommand() throws {
        XCTAssertThrowsError(try VerifyCommand.parse(["--set"]))
        XCTAssertThrowsError(try RestoreCommand.parse(["database", "--lock-wait", "soon"]))
        XCTAssertThrowsError(try PruneCommand.parse(["auto", "--keep-last"]))
        XCTAssertEqual(try VerifyCommand.parse(["auto", "--deep"]).operationOptions, ["deep": "true"])
        XCTAssertEqual(try RestoreCommand.parse(["auto", "--older-than", "30d"]).operationOptions, ["older_than": "30d"])
        XCTAssertEqual(try PruneCommand.parse(["auto", "--include-missing=false"]).operationOptions, ["include_missing": "false"])
    }
}
