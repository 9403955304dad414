import CadangCore
import Logging

/// `skip-unchanged` in one run: compares every source's fingerprint with the job's previous set.
final class UnchangedCheck: PolicyRun {
    private let policy: String
    private let run: RunContext
    private let logger: Logger

    init(policy: String, run: RunContext, logger: Logger) {
        self.policy = policy
        self.run = run
        self.logger = logger
    }

    func beforeWrite(_ sources: [OpenedSource]) throws -> RunDecision {
        var current: [String: String] = [:]
        for source in sources {
            guard let fingerprint = try source.fingerprint() else {
                logger.info("duplicate policy '\(policy)': source '\(source.name)' (\(source.plugin)) cannot tell whether it changed; writing a set")
                return .proceed
            }
            current[source.name] = fingerprint
        }
        // The newest set by time, as retention sees it; a set written with an older --time is not "previous".
        guard let previous = run.job.repository.sets(job: run.job.job).last else { return .proceed }
        let recorded = Dictionary(previous.manifest.sources.map { ($0.name, $0.fingerprint) }, uniquingKeysWith: { first, _ in first })
        guard !current.isEmpty, recorded.count == current.count,
              current.allSatisfy({ recorded[$0.key] == .some($0.value) })
        else { return .proceed }
        return .skip(reason: "unchanged since \(previous.id)")
    }
}
