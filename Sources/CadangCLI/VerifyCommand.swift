import ArgumentParser
import CadangCore
import CadangHost

struct VerifyCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-read backup sets: every file's size and SHA-256, and a quick_check of each database snapshot.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only this job's sets.")
    var job: String?

    @Option(name: .customLong("set"), help: "Only this set: an id from 'cadang list', or 'latest'.")
    var set: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    func perform() throws -> ExitStatus {
        try VerifyAction(job: job, setID: set, json: json).execute(in: global.session())
    }
}
