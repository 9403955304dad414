import CadangCore
import Foundation

/// `webhook`: a JSON POST of the run's summary to any address (a chat bot, a shop's own server).
public struct WebhookMonitor: Monitor {
    public static let descriptor = PluginDescriptor(
        kind: .monitor, name: "webhook",
        summary: "POSTs the run's summary as JSON (job, host, status, exit_code, set_id, error, started_at, finished_at, title, message).",
        options: [
            OptionSpec("url", .string, required: true, doc: "Where to POST."),
            OptionSpec("headers", .stringMap, doc: "Extra headers, e.g. {Authorization: \"Bearer ${HOOK_TOKEN}\"}."),
        ])

    public static func check(_ options: PluginOptions) -> [OptionProblem] { WebAddress.check(options, "url") }

    let url: URL
    let headers: [String: String]

    public init(configuration: PluginConfiguration) throws {
        guard let url = WebAddress.url(configuration.options.string("url")) else {
            throw CadangError(.usage, "monitor '\(configuration.name)' needs an http(s) 'url'")
        }
        self.url = url
        headers = configuration.options.map("headers") ?? [:]
    }

    private struct Summary: Encodable {
        var job: String
        var host: String
        var status: String
        var exitCode: Int32
        var setID: String?
        var error: String?
        var startedAt: Date
        var finishedAt: Date?
        var title: String
        var message: String

        enum CodingKeys: String, CodingKey {
            case job, host, status, exitCode = "exit_code", setID = "set_id", error
            case startedAt = "started_at", finishedAt = "finished_at", title, message
        }
    }

    public func request(for event: JobEvent) -> MonitorRequest? {
        guard event.moment == .finished, let state = event.state else { return nil }
        let summary = Summary(job: event.job, host: event.host, status: state.rawValue, exitCode: event.exitCode ?? 0,
                              setID: event.setID, error: event.error, startedAt: event.startedAt,
                              finishedAt: event.finishedAt, title: event.title, message: event.message)
        guard var request = MonitorRequest.json(summary, to: url) else { return nil }
        request.headers.merge(headers) { _, configured in configured }
        return request
    }
}
