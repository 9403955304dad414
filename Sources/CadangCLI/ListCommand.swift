import ArgumentParser
import CadangCore
import CadangHost

struct ListCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List backup sets, oldest first.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only this job's sets.")
    var job: String?

    @Flag(help: "Print the sets as JSON.")
    var json = false

    func perform() throws -> ExitStatus {
        try ListAction(job: job, json: json).execute(in: global.session(progress: !json))
    }
}
