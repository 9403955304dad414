/// Tells a service outside the machine how a job went (healthchecks.io, ntfy, a webhook), so a
/// backup nobody watches still raises an alarm when it fails or stops happening.
///
/// Contract: `request(for:)` only describes what to send; it does no I/O and does not throw. The
/// host delivers the request with a timeout and retries and only warns when that fails: a monitor
/// never changes a run's exit code. Return `nil` for events the service has no use for.
public protocol Monitor: Plugin, Sendable {
    /// The request that reports `event`, or `nil` to send nothing.
    func request(for event: JobEvent) -> MonitorRequest?
}
