import ArgumentParser
import CadangCore
import CadangHost

struct StatsCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "What the job's sources can tell about their data (each source's stats operation).")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("Only this job's sources. Then options of their stats operation: --name value, --name=value, --flag.",
                                 valueName: "job"))
    var words: [String] = []

    /// JOB and the operation options, from `words` (see `OperationArguments`); `validate()` has thrown if they are malformed.
    private var operation: OperationArguments { (try? OperationArguments(parsing: words)) ?? OperationArguments() }

    @Flag(help: "Print the statistics as JSON, each source's under its name.")
    var json = false

    func validate() throws {
        _ = try OperationArguments(parsing: words)
    }

    func perform() throws -> ExitStatus {
        try StatsAction(job: operation.job, json: json, operationOptions: operation.options).execute(in: global.session())
    }
}
