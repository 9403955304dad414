import ArgumentParser
import CadangCore
import CadangHost

struct PluginsCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(commandName: "plugins", abstract: "List the plugins of this build and their options.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print as JSON.")
    var json = false

    func perform() throws -> ExitStatus {
        try PluginsAction(json: json).execute(in: global.session())
    }
}
