import CadangCLI

CadangCommand.main(registry: .builtIn)
