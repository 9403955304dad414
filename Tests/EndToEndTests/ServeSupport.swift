import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `cadang serve` process of the shipped binary on a free loopback port, and a real HTTP client.
final class ServeProcess {
    static let ingestToken = "till-token-3f9a0c1d2e4b5a6978"
    static let managerToken = "manager-token-8e7d6c5b4a392817"
    /// The `serve:` section the tests' configs add.
    static let section = """
        serve:
          listen: 127.0.0.1:0
          tokens: { ingest: "${CADANG_INGEST_TOKEN}", manager: "${CADANG_MANAGER_TOKEN}" }
          max_body_bytes: 65536
          duties: { sync: off, verify: off, cleanup: off }
        """
    static let environment = ["CADANG_INGEST_TOKEN": ingestToken, "CADANG_MANAGER_TOKEN": managerToken]

    let process: Process
    let url: URL
    let stdout: URL
    let stderr: URL

    /// Starts the server in `directory` and waits until it prints the port it listens on.
    init(in directory: URL, environment: [String: String] = [:], arguments: [String] = []) throws {
        let name = UUID().uuidString
        stdout = directory.appendingPathComponent(".serve-out-\(name)")
        stderr = directory.appendingPathComponent(".serve-err-\(name)")
        try Data().write(to: stdout)
        try Data().write(to: stderr)
        process = CLI.cadang.process(["serve"] + arguments, in: directory, environment: Self.environment.merging(environment) { $1 })
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while true {
            let text = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }),
               let found = URL(string: String(line.dropFirst("listening on ".count))) {
                url = found
                break
            }
            guard process.isRunning, Date() < deadline else {
                process.terminate()
                throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey:
                    "cadang serve did not start: \((try? String(contentsOf: stderr, encoding: .utf8)) ?? "")"])
            }
            usleep(20_000)
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// What the server logged.
    var log: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

    /// Stops it with SIGTERM and returns its exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// One response.
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object or array.
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }

        /// The `error` of a JSON error body.
        var error: String? { (try? json() as? [String: Any])?["error"] as? String }
    }

    /// Sends a request (`token` as a bearer token) and waits for the answer.
    func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil,
                 headers: [String: String] = [:]) throws -> Reply {
        var request = URLRequest(url: URL(string: path, relativeTo: url)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 120
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try Self.send(request)
    }

    /// `request`'s answer, waited for.
    static func send(_ request: URLRequest, session: URLSession = .shared) throws -> Reply {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Reply, any Error>?
        session.dataTask(with: request) { data, response, error in
            if let error {
                outcome = .failure(error)
            } else if let response = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (name, value) in response.allHeaderFields {
                    headers[String(describing: name).lowercased()] = String(describing: value)
                }
                outcome = .success(Reply(status: response.statusCode, headers: headers, body: data ?? Data()))
            }
            done.signal()
        }.resume()
        done.wait()
        return try outcome!.get()
    }

    /// `POST …/orders` with `body` as the till's token.
    func post(orders body: String, source: String = "pos", token: String = ServeProcess.ingestToken) throws -> Reply {
        try request("POST", "/api/v1/sources/\(source)/orders", token: token, body: Data(body.utf8),
                    headers: ["Content-Type": "application/json"])
    }

    /// The per-item results of an ingest reply: `index key status [reason]`.
    static func results(_ reply: Reply) throws -> [[String: Any]] {
        let object = try XCTUnwrap(try reply.json() as? [String: Any], reply.text)
        return try XCTUnwrap(object["results"] as? [[String: Any]], reply.text)
    }
}
