import CadangCore
import Foundation

/// `healthchecks`: pings a healthchecks.io (or self-hosted) check — `/start` when a job starts, the
/// check's address on success, the address with a warning body on partial, `/log` on skipped (so a
/// drive that stays away trips the check's grace time), `/<exit code>` on failure.
public struct HealthchecksMonitor: Monitor {
    public static let descriptor = PluginDescriptor(
        kind: .monitor, name: "healthchecks",
        summary: "Pings a healthchecks.io check: /start when a job starts, then success, a warning (partial), /log (skipped) or /<exit code> (failure).",
        options: [
            OptionSpec("url", .string, required: true, doc: "The check's ping address, e.g. https://hc-ping.com/${HC_UUID}."),
        ])

    public static func check(_ options: PluginOptions) -> [OptionProblem] { WebAddress.check(options, "url") }

    let url: URL

    public init(configuration: PluginConfiguration) throws {
        guard let url = WebAddress.url(configuration.options.string("url")) else {
            throw CadangError(.usage, "monitor '\(configuration.name)' needs an http(s) 'url'")
        }
        self.url = url
    }

    public func request(for event: JobEvent) -> MonitorRequest? {
        guard event.moment == .finished else { return .text("", to: WebAddress.appending("start", to: url)) }
        switch event.state ?? .fail {
        case .success: return .text(event.message, to: url)
        case .partial: return .text("PERINGATAN: " + event.message, to: url)
        case .skipped: return .text(event.message, to: WebAddress.appending("log", to: url))
        case .fail: return .text(event.message, to: WebAddress.appending(String(event.exitCode ?? 1), to: url))
        }
    }
}
