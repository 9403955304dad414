import CadangCore
import Foundation
import Logging

/// `duplicate`: keeps a job from storing what it already has. `skip-unchanged` writes no set when
/// every source's content equals that of the job's previous set; `new-rows` writes, for each dataset
/// given a key, only the rows whose key no listed set of the job holds.
///
/// `new-rows` keeps the keys in `index/<job>.<policy>.keys` in the repository, tagged with the set that wrote
/// them; keys of a set that is not listed (a run that crashed before its commit, or a set pruned
/// since) do not count, so a row is always in at least one listed set or written again.
public struct DuplicatePolicy: Policy {
    public static let descriptor = PluginDescriptor(
        kind: .policy, name: "duplicate",
        summary: "Skips a run when nothing changed since the job's last set (skip-unchanged), or writes only rows not yet backed up (new-rows).",
        options: [
            OptionSpec("mode", .choice(["skip-unchanged", "new-rows"]), required: true,
                       doc: "skip-unchanged: no new set while every source's content is unchanged (`cadang run --force` writes one anyway). new-rows: only rows whose key no earlier set of the job holds."),
            OptionSpec("key", .stringMap,
                       doc: "new-rows: the column that identifies a row, per dataset, e.g. { transaksi: kode_transaksi }. Datasets without a key, and files, are written whole."),
        ])

    /// `key` belongs to new-rows, which cannot do without it.
    public static func check(_ options: PluginOptions) -> [OptionProblem] {
        let keys = options.map("key") ?? [:]
        switch options.string("mode") {
        case "skip-unchanged" where !keys.isEmpty:
            return [OptionProblem(option: "key", "applies only to mode new-rows", fix: "remove 'key' or set mode: new-rows")]
        case "new-rows" where keys.isEmpty:
            return [OptionProblem(option: "mode", "is new-rows but names no key, so it would write every row",
                                  fix: "add e.g. key: { transaksi: kode_transaksi }")]
        case "new-rows":
            return keys.keys.sorted().filter { keys[$0]?.isEmpty == true }.map {
                OptionProblem(option: "key.\($0)", "is empty: it names no column of dataset '\($0)'", fix: "name the column that identifies a row")
            }
        default:
            return []
        }
    }

    /// What the policy does.
    public enum Mode: Sendable, Equatable {
        /// Skip the run when every source is unchanged.
        case skipUnchanged
        /// Write only new rows, identified by a key column per dataset.
        case newRows(keys: [String: String])
    }

    /// The mode, with its keys.
    public let mode: Mode
    /// The instance name in the config.
    public let name: String
    private let logger: Logger

    public init(configuration: PluginConfiguration) throws {
        name = configuration.name
        logger = configuration.logger
        let keys = configuration.options.map("key") ?? [:]
        switch configuration.options.string("mode") {
        case "skip-unchanged":
            guard keys.isEmpty else {
                throw CadangError(.usage, "duplicate policy '\(name)': 'key' applies only to mode new-rows",
                                  fix: "remove 'key' or set mode: new-rows")
            }
            mode = .skipUnchanged
        case "new-rows":
            guard !keys.isEmpty else {
                throw CadangError(.usage, "duplicate policy '\(name)' (mode new-rows) names no key, so it would write every row",
                                  fix: "add e.g. key: { transaksi: kode_transaksi }")
            }
            if let empty = keys.first(where: { $0.value.isEmpty }) {
                throw CadangError(.usage, "duplicate policy '\(name)': the key of dataset '\(empty.key)' is empty",
                                  fix: "name the column that identifies a row")
            }
            mode = .newRows(keys: keys)
        default:
            throw CadangError(.usage, "duplicate policy '\(name)' needs mode skip-unchanged or new-rows")
        }
    }

    public func begin(_ run: RunContext) throws -> (any PolicyRun)? {
        switch mode {
        case .skipUnchanged:
            UnchangedCheck(policy: name, run: run, logger: logger)
        case .newRows(let keys):
            try NewRowsRun(policy: name, keys: keys, run: run, logger: logger)
        }
    }
}
