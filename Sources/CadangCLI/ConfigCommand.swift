import ArgumentParser
import CadangCore
import CadangHost

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Work with the config file.",
                                                    subcommands: [Check.self])

    struct Check: ParsableCommand, CadangAction {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate the config; print every problem as FILE:LINE:COL.")

        @OptionGroup var global: GlobalOptions

        func perform() throws -> ExitStatus {
            try ConfigCheckAction().execute(in: global.session())
        }
    }
}
