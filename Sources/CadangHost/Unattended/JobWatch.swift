import CadangCore
import Foundation
import Logging

/// What happens around one job's run (ops §2): the monitors are told it started; the `before`
/// hooks run (the config's, then the job's own) and may skip it (exit 75) or stop it; when it
/// ends, the `after` hooks for its state run and the monitors are told how it went. Nothing here
/// changes a finished run's exit code: failing `after` hooks and monitors are warnings.
struct JobWatch {
    private let job: String
    private let hooks: [HookDefinition]
    private let monitors: [(definition: MonitorDefinition, monitor: any Monitor)]
    private let baseVariables: [String: String]
    private let logger: Logger
    private let startedAt = Date()
    private let host = ProcessInfo.processInfo.hostName

    /// What the `before` hooks decided.
    enum Start {
        case proceed
        /// A hook exited 75: no set, exit 75.
        case skip(String)
        /// A hook failed: no set, exit 1.
        case fail(CadangError)
    }

    /// Builds the job's monitors; one that cannot be built is a warning, not a reason to skip a backup.
    init(config: Config, job: Config.JobDefinition, configPath: String, logger: Logger) {
        self.job = job.name
        self.logger = logger
        hooks = config.hooks + job.hooks
        monitors = config.monitors.compactMap { definition in
            guard case .monitor(let type) = definition.component.plugin, definition.component.problems.isEmpty else { return nil }
            let configuration = PluginConfiguration(name: definition.component.name, options: definition.component.options,
                                                    baseDirectory: config.baseDirectory, logger: logger)
            do {
                return (definition, try type.init(configuration: configuration))
            } catch {
                logger.warning("monitor \(definition.component.name) (\(type.descriptor.name)) is not used: \(CadangError.from(error, while: "setting it up"))")
                return nil
            }
        }
        baseVariables = [
            "CADANG_JOB": job.name,
            "CADANG_CONFIG": URL(fileURLWithPath: configPath).standardizedFileURL.path,
            "CADANG_REPOSITORY": config.repository.path,
            "CADANG_STARTED_AT": Timestamp.rfc3339(startedAt.wholeSeconds),
        ]
    }

    /// Tells the monitors, then runs the `before` hooks in order until one fails.
    func start() -> Start {
        notify(JobEvent(moment: .started, job: job, host: host, startedAt: startedAt), state: nil)
        for hook in hooks where hook.moment == .before {
            let outcome = HookRunner(logger: logger).run(hook.argv, variables: baseVariables.merging(["CADANG_EVENT": "before-job"]) { $1 },
                                                         timeout: hook.timeout)
            switch outcome {
            case .exited(0): continue
            case .exited(75): return .skip("a before hook (\(hook.argv[0])) asked to skip the job (exit 75)")
            default:
                return .fail(CadangError(.failure, "job '\(job)' stopped: \(outcome.describe(hook.argv[0]))",
                                         fix: "run the hook by hand to see why, or remove it from the config"))
            }
        }
        return .proceed
    }

    /// Runs the `after` hooks for `state`, then tells the monitors.
    func finish(state: RunState, exitCode: Int32, set: BackupSet?, error: String?) {
        let finishedAt = Date()
        var variables = baseVariables
        variables["CADANG_EVENT"] = "after-job"
        variables["CADANG_STATUS"] = state.rawValue
        variables["CADANG_EXIT_CODE"] = String(exitCode)
        variables["CADANG_FINISHED_AT"] = Timestamp.rfc3339(finishedAt.wholeSeconds)
        if let set {
            variables["CADANG_SET_ID"] = set.id
            variables["CADANG_SET_PATH"] = set.directory.path
        }
        if let error { variables["CADANG_ERROR"] = error.split(whereSeparator: \.isNewline).joined(separator: " ") }
        for hook in hooks where hook.moment == .after && hook.states.contains(state) {
            let outcome = HookRunner(logger: logger).run(hook.argv, variables: variables, timeout: hook.timeout)
            if outcome != .exited(0) { logger.warning("job '\(job)': \(outcome.describe(hook.argv[0]))") }
        }
        notify(JobEvent(moment: .finished, job: job, host: host, startedAt: startedAt, state: state, exitCode: exitCode,
                        setID: set?.id, error: error, finishedAt: finishedAt), state: state)
    }

    private func notify(_ event: JobEvent, state: RunState?) {
        for (definition, monitor) in monitors {
            if let state, !definition.states.contains(state) { continue }
            guard let request = monitor.request(for: event) else { continue }
            MonitorDelivery(logger: logger).send(request, timeout: definition.timeout,
                                                 monitor: "\(definition.component.name) (\(type(of: monitor).descriptor.name))")
        }
    }
}

private extension Date {
    /// Hooks are shell scripts: whole seconds read best there.
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
