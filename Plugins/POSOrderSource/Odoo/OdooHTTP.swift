import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One synchronous HTTP POST of a JSON body. cadang's commands run on threads, not tasks, so the
/// call waits on a semaphore for URLSession's answer; the timeout covers the whole request.
struct OdooHTTP: Sendable {
    let session: URLSession
    let timeout: TimeInterval
    /// For an `http://` server: one kept-alive connection instead of URLSession.
    let plain: PlainHTTPConnection?

    init(timeout: TimeInterval, server: URL? = nil) {
        plain = server.flatMap { PlainHTTPConnection(url: $0, timeout: timeout) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        self.session = URLSession(configuration: configuration)
        self.timeout = timeout
    }

    /// The status and body of POSTing `body` to `url`; a transport failure as `OdooError.unreachable`
    /// naming `server` (the configured URL, which is what the user can check).
    func post(_ url: URL, body: Data, server: String) throws(OdooError) -> (status: Int, body: Data) {
        if let plain, url.scheme == "http" {
            let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? url.path
            return try plain.post(path: path.isEmpty ? "/" : path, body: body, server: server)
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")

        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            box.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        // A little past the timeout: URLSession reports its own timeout first, this is a backstop.
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            task.cancel()
            throw .unreachable(url: server, reason: .timedOut(seconds: timeout))
        }
        let (data, response, error) = box.get()
        if let error {
            throw .unreachable(url: server, reason: OdooHTTP.reason(for: error, timeout: timeout))
        }
        guard let http = response as? HTTPURLResponse else {
            throw .badResponse(url: server, detail: "no HTTP response")
        }
        return (http.statusCode, data ?? Data())
    }

    /// URLError codes mapped to what a user can check.
    static func reason(for error: any Error, timeout: TimeInterval) -> OdooUnreachableReason {
        guard let error = error as? URLError else { return .other(error.localizedDescription) }
        switch error.code {
        case .cannotConnectToHost: return .connectionRefused
        case .timedOut: return .timedOut(seconds: timeout)
        case .cannotFindHost, .dnsLookupFailed: return .hostNotFound
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired:
            return .tls(error.localizedDescription)
        case .networkConnectionLost, .badServerResponse: return .connectionLost
        default: return .other(error.localizedDescription)
        }
    }
}

/// Carries the completion handler's values to the waiting thread; the semaphore orders the access,
/// the lock makes that visible to the checker.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: (any Error)?

    func set(data: Data?, response: URLResponse?, error: (any Error)?) {
        lock.withLock { (self.data, self.response, self.error) = (data, response, error) }
    }

    func get() -> (Data?, URLResponse?, (any Error)?) {
        lock.withLock { (data, response, error) }
    }
}
