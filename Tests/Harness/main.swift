import CadangCLI
import CadangHost
import CadangPlugins

// A `cadang` with one more plugin: adding a source is this one registry line.
CadangCommand.main(registry: PluginRegistry.builtIn.adding([.source(SampleSource.self)]))
