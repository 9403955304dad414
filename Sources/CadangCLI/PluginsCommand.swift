import ArgumentParser
import CadangCore
import CadangHost

struct PluginsCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(commandName: "plugins", abstract: "List the plugins of this build and their options.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print as JSON.")
    var json = false

    @Flag(help: "Print the configuration reference (Docs/configuration.md) as Markdown.")
    var markdown = false

    func perform() throws -> ExitStatus {
        try PluginsAction(json: json, markdown: markdown).execute(in: global.session(progress: !json))
    }
}
