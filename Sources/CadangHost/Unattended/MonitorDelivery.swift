import CadangCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// Sends monitors' requests: each try limited to the monitor's timeout, three tries, and a warning
/// when all fail — never an error, so a monitor that is down changes no exit code.
struct MonitorDelivery {
    static let tries = 3
    let logger: Logger

    /// Sends `request`; true when a try got a 2xx answer.
    @discardableResult
    func send(_ request: MonitorRequest, timeout: Double, monitor: String) -> Bool {
        var last = ""
        for attempt in 1...Self.tries {
            switch once(request, timeout: timeout) {
            case .success: return true
            case .failure(let failure):
                last = failure.reason
                logger.debug("monitor \(monitor): try \(attempt) of \(Self.tries) failed: \(failure.reason)")
                if attempt < Self.tries { usleep(UInt32(min(2.0, timeout / 4) * 1_000_000)) }
            }
        }
        // The address may hold a secret (a healthchecks UUID, an ntfy topic): only its host is named.
        logger.warning("monitor \(monitor) could not report to \(request.url.host ?? "its server") after \(Self.tries) tries: \(last)")
        return false
    }

    private struct Failure: Error { var reason: String }

    private func once(_ request: MonitorRequest, timeout: Double) -> Result<Void, Failure> {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.invalidateAndCancel() }
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        let task = session.dataTask(with: urlRequest) { _, response, error in
            if let error {
                outcome.set(.failure(Failure(reason: error.localizedDescription)))
            } else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                outcome.set(.failure(Failure(reason: "HTTP \(http.statusCode)")))
            } else {
                outcome.set(.success(()))
            }
            done.signal()
        }
        task.resume()
        // URLSession's own timeout only counts idle time; this bounds the whole try.
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            return .failure(Failure(reason: "no answer within \(DurationText.seconds(timeout))"))
        }
        return outcome.value ?? .failure(Failure(reason: "no answer"))
    }

    private final class OutcomeBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Result<Void, Failure>?
        func set(_ value: Result<Void, Failure>) { lock.withLock { stored = value } }
        var value: Result<Void, Failure>? { lock.withLock { stored } }
    }
}
