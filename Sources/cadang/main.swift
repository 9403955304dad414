import CadangCLI
import CadangPlugins

CadangCommand.main(registry: .builtIn)
