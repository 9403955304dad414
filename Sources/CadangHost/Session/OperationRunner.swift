import CadangCore
import Foundation

/// Runs the operations sources add to a generic verb (`verify`, `restore`, `prune`, `stats`):
/// finds the job's sources that declare one, validates the command line's operation options
/// against its declaration, takes the repository lock when the operation asks the host to, and
/// turns any error into a one-line `CadangError` naming the source.
struct OperationRunner {
    let config: Config
    let session: Session

    /// One source's part in a verb.
    struct Participant {
        var name: String
        var plugin: String
        var source: any OperatingSource
        var spec: OperationSpec
    }

    /// What a participant's operation ended with.
    struct Outcome {
        var source: String
        var result: OperationResult
    }

    /// The sources of `job` (every source of the config when `nil`; none for a job the config does
    /// not have, such as `before-restore`) that add an operation to `verb`, in config order.
    func participants(_ verb: OperationVerb, job: String?) throws -> [Participant] {
        let names: [String]
        if let job {
            let references = config.job(named: job)?.sources.map(\.source) ?? []
            names = references.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        } else {
            names = config.components.filter { $0.kind == .source }.map(\.name)
        }
        let builder = JobBuilder(config: config, logger: session.logger)
        var found: [Participant] = []
        for name in names {
            guard let component = config.component(.source, name),
                  let spec = component.plugin.descriptor.operation(verb) else { continue }
            let built = try ErrorReport.attributed(to: "source '\(name)'") { try builder.makeSource(component) }
            guard let source = built as? any OperatingSource else {
                throw CadangError(.failure, "source '\(name)' (\(component.plugin.descriptor.name)) declares a \(verb.rawValue) operation but cannot perform it",
                                  fix: "its plugin must adopt OperatingSource")
            }
            found.append(Participant(name: name, plugin: component.plugin.descriptor.name, source: source, spec: spec))
        }
        return found
    }

    /// Checks `raw` (`older_than` → `30d`) against every participant's declared options; throws a
    /// usage error for an option none of them declares or a value of the wrong type.
    func validate(_ raw: [String: String], for participants: [Participant], verb: OperationVerb) throws -> [String: PluginOptions] {
        let known = Set(participants.flatMap { $0.spec.options.map(\.name) })
        for name in raw.keys.sorted() where !known.contains(name) {
            let flag = "--" + name.replacingOccurrences(of: "_", with: "-")
            let names = known.sorted().map { "--" + $0.replacingOccurrences(of: "_", with: "-") }
            let hint = Suggestion.hint(for: flag, among: names)
                ?? (names.isEmpty ? "the sources of this job add no options to \(verb.rawValue)" : "options: \(names.joined(separator: ", "))")
            throw CadangError(.usage, "unknown option \(flag) for \(verb.rawValue)", fix: hint)
        }
        var result: [String: PluginOptions] = [:]
        for participant in participants {
            var values: [String: OptionValue] = [:]
            for spec in participant.spec.options {
                guard var text = raw[spec.name] else {
                    if spec.isRequired {
                        throw CadangError(.usage, "\(verb.rawValue) of source '\(participant.name)' needs --\(spec.name.replacingOccurrences(of: "_", with: "-"))", fix: spec.doc)
                    }
                    continue
                }
                // Several words after the option (see the CLI's grammar), one per line.
                let words = text.split(separator: "\n")
                if words.count > 1 {
                    guard case .stringList = spec.type else {
                        throw CadangError(.usage, "unexpected argument '\(words[1])' after --\(spec.name.replacingOccurrences(of: "_", with: "-")) \(words[0])",
                                          fix: "--\(spec.name.replacingOccurrences(of: "_", with: "-")) takes one value")
                    }
                    text = words.joined(separator: ",")
                }
                switch spec.value(of: text) {
                case .success(let value): values[spec.name] = value
                case .failure(let problem):
                    throw CadangError(.usage, "--\(spec.name.replacingOccurrences(of: "_", with: "-")) \(problem.message)", fix: problem.fix)
                }
            }
            result[participant.name] = PluginOptions(values, defaults: participant.spec.options)
        }
        return result
    }

    /// Runs `verb` on each participant, in order; stops at the first that throws.
    func run(_ verb: OperationVerb, _ participants: [Participant], job: String?, options raw: [String: String],
             flags: Flags, restore: RestoreRequest? = nil, recordRules: [String: RecordRules] = [:]) throws -> [Outcome] {
        let options = try validate(raw, for: participants, verb: verb)
        let repository = Repository(url: config.repository)
        var outcomes: [Outcome] = []
        for participant in participants {
            let context = OperationContext(
                job: job, source: participant.name, options: options[participant.name] ?? PluginOptions(),
                repository: repository, state: SourceState(repository: repository, source: participant.name),
                dryRun: flags.dryRun, json: flags.json, yes: flags.yes, lockWait: flags.lockWait, restore: restore,
                recordRules: recordRules[participant.name], output: flags.output ?? output(json: flags.json), logger: session.logger)
            let result = try ErrorReport.attributed(to: "\(verb.rawValue) of source '\(participant.name)'") { () throws -> OperationResult in
                var lock: RepositoryLock?
                defer { lock?.release() }
                if participant.spec.locking == .host && !flags.dryRun {
                    lock = try repository.lock(wait: flags.lockWait, command: "cadang \(verb.rawValue)" + (job.map { " \($0)" } ?? ""))
                }
                return try participant.source.perform(verb, context: context)
            }
            outcomes.append(Outcome(source: participant.name, result: result))
        }
        return outcomes
    }

    /// The command-line flags every operation sees.
    struct Flags {
        var dryRun = false
        var json = false
        var yes = false
        var lockWait: Double?
        /// Where lines and questions go; nil: standard output and input.
        var output: OperationOutput?
    }

    /// Lines to standard output unless `--quiet` or `--json`; questions on standard error, answers from standard input.
    private func output(json: Bool) -> OperationOutput {
        let quiet = session.quiet || json
        return OperationOutput(say: { line in if !quiet { print(line) } },
                               ask: { question in
                                   FileHandle.standardError.write(Data(question.utf8))
                                   return readLine()
                               })
    }

    /// The `--json` parts of `outcomes`, under each source's name.
    static func reportParts(_ outcomes: [Outcome]) -> [(key: String, value: any Encodable)] {
        outcomes.compactMap { outcome in outcome.result.report.map { (key: outcome.source, value: $0) } }
    }

    /// The worst status of `outcomes` (a failure over damage over partial), or `.success`.
    static func status(_ outcomes: [Outcome]) -> ExitStatus {
        outcomes.map(\.result.status).first { $0 != .success && $0 != .partial }
            ?? (outcomes.contains { $0.result.status == .partial } ? .partial : .success)
    }
}
