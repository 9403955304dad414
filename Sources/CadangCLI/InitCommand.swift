import ArgumentParser
import CadangCore
import CadangHost

struct InitCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter config for the kasir app (jobs produk, transaksi, database, auto).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The kasir app's database, e.g. instance/kasir.db (relative to the config file's folder).")
    var kasir: String

    @Option(help: "Where backup sets are kept (default: ./backups).")
    var repository: String?

    @Option(help: "Also pack every 'auto' backup into a .tar.gz in this folder, e.g. on a USB drive (/media/...: only while the drive is mounted).")
    var archive: String?

    @Flag(help: "Replace an existing config file.")
    var force = false

    func perform() throws -> ExitStatus {
        // `--kasir` is the contract's spelling of the kasir plugin's starter key.
        try InitAction(starter: "kasir", value: kasir, repository: repository, archive: archive, force: force)
            .execute(in: global.session())
    }
}
