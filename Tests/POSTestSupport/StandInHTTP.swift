import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Synchronous HTTP for the stand-in's test-only endpoints (the plugin's client is not a dependency
/// of this target, and these calls must not count as Odoo calls anyway).
enum StandInHTTP {
    static func request(_ url: URL, method: String, json: [String: Any]? = nil) throws -> [String: Any] {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, error in
            box.set(data, error)
            done.signal()
        }.resume()
        done.wait()
        let (data, error) = box.get()
        if let error { throw OdooStandInError.controlFailed("\(url.path): \(error.localizedDescription)") }
        guard let data, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OdooStandInError.controlFailed("\(url.path) did not answer a JSON object")
        }
        return object
    }

    private final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        private var error: (any Error)?
        func set(_ data: Data?, _ error: (any Error)?) { lock.withLock { (self.data, self.error) = (data, error) } }
        func get() -> (Data?, (any Error)?) { lock.withLock { (data, error) } }
    }
}
