import CadangCLI

CadangCommand.main()
