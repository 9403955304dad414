import Foundation

/// One HTTP request a monitor wants sent.
public struct MonitorRequest: Sendable, Equatable {
    /// Where to.
    public var url: URL
    /// `GET` or `POST`.
    public var method: String
    /// Extra headers (e.g. `Content-Type`).
    public var headers: [String: String]
    /// The body, empty for none.
    public var body: [UInt8]

    /// Creates a request.
    public init(url: URL, method: String = "POST", headers: [String: String] = [:], body: [UInt8] = []) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// A POST of `text` as plain UTF-8.
    public static func text(_ text: String, to url: URL) -> MonitorRequest {
        MonitorRequest(url: url, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// A POST of `value` as JSON.
    public static func json(_ value: some Encodable, to url: URL) -> MonitorRequest? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return nil }
        return MonitorRequest(url: url, headers: ["Content-Type": "application/json"], body: Array(data))
    }
}
