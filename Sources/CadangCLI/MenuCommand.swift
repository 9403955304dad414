import ArgumentParser
import CadangCore
import CadangHost

struct MenuCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "menu",
        abstract: "Numbered menu built from the config: run a job, list, restore the database, verify (reads choices from standard input).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Wait this long for a running backup to release the repository (e.g. 30s).")
    var lockWait: DurationArgument?

    func perform() throws -> ExitStatus {
        try MenuAction(lockWait: lockWait?.seconds, perform: { ExitStatus.run($0) }).execute(in: global.session())
    }
}
