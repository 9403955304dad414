import ArgumentParser
import CadangCore
import CadangHost

struct RestoreCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backed-up database back, after verifying it and saving the current one as a before-restore set.")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var operation: OperationWords

    var job: String? { operation.job }

    var operationOptions: [String: String] { operation.options }

    @Option(name: .customLong("set"), help: "The set to restore: an id from 'cadang list', or latest (default).")
    var setID: String?

    @Option(name: .customLong("to"), help: "Restore to this file or folder instead of the source's own (with --from-archive: write the set's checked files into this folder); for a source whose restore has its own --to (pos: the last order day), that.")
    var destination: String?

    @Option(name: .customLong("from-archive"), help: "Restore from this set archive (e.g. on a USB drive) instead of the repository.")
    var archive: String?

    @Option(help: ArgumentHelp("With --from-archive: the key file that opens an encrypted archive.", valueName: "KEY"))
    var identity: String?

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Say what would happen; change nothing.")
    var dryRun = false

    @Flag(help: "Print the sources' restore reports as JSON.")
    var json = false

    @Flag(help: "Restore even where a check refuses, e.g. while another program holds the file.")
    var force = false

    @Option(help: "Wait this long for a running backup to release the repository (e.g. 30s).")
    var lockWait: DurationArgument?

    func validate() throws {
        if identity != nil && archive == nil { throw ValidationError("--identity opens an encrypted archive: use it with --from-archive FILE") }
        if archive != nil && setID != nil { throw ValidationError("--from-archive restores the set inside the archive; leave out --set") }
        if archive != nil && destination != nil && dryRun { throw ValidationError("--dry-run does not apply to --from-archive with --to") }
    }

    func perform() throws -> ExitStatus {
        try RestoreAction(job: job, setID: setID, destination: destination, yes: yes, dryRun: dryRun, force: force,
                          lockWait: lockWait?.seconds, archive: archive, identity: identity, json: json, operationOptions: operationOptions)
            .execute(in: global.session())
    }
}
