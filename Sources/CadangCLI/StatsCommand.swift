import ArgumentParser
import CadangCore
import CadangHost

struct StatsCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "What the job's sources can tell about their data (each source's stats operation).")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var operation: OperationWords

    @Flag(help: "Print the statistics as JSON, each source's under its name.")
    var json = false

    func perform() throws -> ExitStatus {
        try StatsAction(job: operation.job, json: json, operationOptions: operation.options).execute(in: global.session(progress: !json))
    }
}
