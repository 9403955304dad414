import ArgumentParser
import CadangCore
import CadangHost
import Foundation

struct RunCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run jobs (default: auto) and write one backup set each.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Jobs to run (default: auto).")
    var jobs: [String] = []

    @Option(help: "Record this time instead of now (RFC 3339, fractions allowed).")
    var time: String?

    @Flag(help: "Show what would run; write nothing.")
    var dryRun = false

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Flag(help: "Write a set even when a policy would skip it.")
    var force = false

    @Option(help: "Wait this long for another run to release the repository (e.g. 30s, 10m).")
    var lockWait: DurationArgument?

    func validate() throws {
        if let time, Timestamp.parse(time) == nil {
            throw ValidationError("--time '\(time)' is not an RFC 3339 time such as 2026-01-31T23:00:00+07:00")
        }
    }

    func perform() throws -> ExitStatus {
        try RunAction(jobs: jobs, time: time.flatMap { Timestamp.parse($0) }, dryRun: dryRun, json: json, force: force,
                      lockWait: lockWait?.seconds)
            .execute(in: global.session(progress: !json))
    }
}
