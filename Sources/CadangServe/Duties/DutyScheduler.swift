import CadangCore
import CadangHost
import Foundation
import Logging
import ServiceLifecycle

/// The duties `cadang serve` runs on its own clock (DESIGN §8: sync every 30 s, verify every 6 h,
/// cleanup daily, from `serve.duties`), for the jobs whose sources take orders over the network.
///
/// One duty at a time: a job's sources never see two of them at once, and each takes the
/// repository lock as its command does (a backup or a command running meanwhile makes it wait,
/// then try at its next turn). On SIGTERM no new duty starts; the running one finishes, then
/// the server stops.
struct DutyScheduler: Service {
    let service: HostService
    let intervals: [ServeDuty: Double]
    let checks: SetChecks
    let logger: Logger
    /// How long a duty waits for the repository lock before it gives its turn up.
    static let lockWait = 60.0

    func run() async throws {
        let jobs = service.dutyJobs
        guard !jobs.isEmpty, !intervals.isEmpty else {
            // A service that returns would end the server: this one waits for the end instead.
            try? await gracefulShutdown()
            return
        }
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            // The first sync at once (orders may be waiting in the inbox); the others after their interval.
            let start = ContinuousClock.now
            var due: [ServeDuty: ContinuousClock.Instant] = [:]
            for (duty, seconds) in intervals { due[duty] = duty == .sync ? start : start + .seconds(seconds) }
            // Cancelled (the server failed to start, or a second signal): stop too, without waiting.
            while !stopping.isSet, !Task.isCancelled {
                let now = ContinuousClock.now
                for duty in ServeDuty.allCases where !stopping.isSet && !Task.isCancelled {
                    guard let when = due[duty], when <= now, let seconds = intervals[duty] else { continue }
                    for job in jobs where !stopping.isSet { await perform(duty, job: job) }
                    due[duty] = ContinuousClock.now + .seconds(seconds)
                }
                // Short naps, so that a SIGTERM between duties stops the server at once.
                try? await Task.sleep(for: .milliseconds(200))
            }
        } onGracefulShutdown: {
            stopping.set()
        }
        logger.info("duties stopped")
    }

    private func perform(_ duty: ServeDuty, job: String) async {
        let started = ContinuousClock.now
        logger.info("duty \(duty.rawValue) of job '\(job)' started")
        do {
            let (status, found) = try await BlockingWork.run { [service] in try service.run(duty, job: job, lockWait: Self.lockWait) }
            checks.record(found)
            let level: Logger.Level = status == .success ? .info : .warning
            logger.log(level: level, "duty \(duty.rawValue) of job '\(job)' finished in \(started.duration(to: .now)) (exit \(status.rawValue))")
        } catch {
            // The next turn tries again; a duty's failure never stops the server.
            logger.error("duty \(duty.rawValue) of job '\(job)' failed: \(CadangError.from(error, while: "the duty"))")
        }
    }
}

/// Set once, read from any task.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
