import CadangCLI
import CadangHost
import CadangPlugins

// A `cadang` with the test tree's plugins: adding a plugin is this one registry line.
CadangCommand.main(registry: PluginRegistry.builtIn.adding([
    .source(SampleSource.self), .source(LedgerSource.self), .sink(LedgerSink.self),
]))
