import CadangCore
import Foundation

/// `ntfy`: a push notification to a phone through an ntfy server — a JSON POST to the server's
/// root with the topic, a title and a message (in Bahasa Indonesia), failures at high priority.
public struct NtfyMonitor: Monitor {
    public static let descriptor = PluginDescriptor(
        kind: .monitor, name: "ntfy",
        summary: "Sends a push notification through an ntfy server (JSON POST of topic, title and message; failures at high priority).",
        options: [
            OptionSpec("server", .string, default: .string("https://ntfy.sh"), doc: "The ntfy server."),
            OptionSpec("topic", .string, required: true, doc: "The topic the phone subscribes to; hard to guess, e.g. ${NTFY_TOPIC}."),
        ])

    public static func check(_ options: PluginOptions) -> [OptionProblem] { WebAddress.check(options, "server") }

    let server: URL
    let topic: String

    public init(configuration: PluginConfiguration) throws {
        guard let server = WebAddress.url(configuration.options.string("server") ?? "https://ntfy.sh") else {
            throw CadangError(.usage, "monitor '\(configuration.name)' needs an http(s) 'server'")
        }
        self.server = server
        topic = configuration.options.string("topic") ?? ""
    }

    private struct Message: Encodable {
        var topic: String
        var title: String
        var message: String
        var priority: Int
        var tags: [String]
    }

    public func request(for event: JobEvent) -> MonitorRequest? {
        guard event.moment == .finished, let state = event.state else { return nil }
        let (priority, tag) = switch state {
        case .success: (3, "white_check_mark")
        case .partial: (4, "warning")
        case .skipped: (3, "fast_forward")
        case .fail: (5, "rotating_light")
        }
        return .json(Message(topic: topic, title: event.title, message: event.message, priority: priority, tags: [tag]), to: server)
    }
}
