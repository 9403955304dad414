import Foundation
import XCTest
@testable import POSOrderSource

/// The kept-alive plain-HTTP connection against a raw server that answers the way proxies and
/// other servers do: chunked bodies, bodies ended by closing, and closing a kept connection.
final class PlainHTTPConnectionTests: XCTestCase {
    /// A raw TCP server (Python) answering every request with `{"result": N}` (N counts requests),
    /// framed as `mode` says; it closes each connection after `perConnection` answers.
    private func server(_ mode: String, perConnection: Int = 100) throws -> (Process, URL) {
        let script = """
            import socket, sys, threading
            mode, per = sys.argv[1], int(sys.argv[2])
            listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(8)
            print(listener.getsockname()[1], flush=True)
            count = [0]
            def serve(conn):
                data = b""
                for _ in range(per):
                    while b"\\r\\n\\r\\n" not in data:
                        more = conn.recv(65536)
                        if not more: return
                        data += more
                    head, _, data = data.partition(b"\\r\\n\\r\\n")
                    length = int([l.split(b":")[1] for l in head.split(b"\\r\\n") if l.lower().startswith(b"content-length")][0])
                    while len(data) < length: data += conn.recv(65536)
                    data = data[length:]
                    count[0] += 1
                    body = b'{"jsonrpc": "2.0", "id": 1, "result": %d}' % count[0]
                    if mode == "chunked":
                        conn.sendall(b"HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n" + b"%x\\r\\n%s\\r\\n" % (5, body[:5]) + b"%x;x=y\\r\\n%s\\r\\n0\\r\\n\\r\\n" % (len(body) - 5, body[5:]))
                    elif mode == "close":
                        conn.sendall(b"HTTP/1.1 200 OK\\r\\nConnection: close\\r\\n\\r\\n" + body); conn.close(); return
                    else:
                        conn.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n%s" % (len(body), body))
                conn.close()
            while True:
                conn, _ = listener.accept()
                threading.Thread(target=serve, args=(conn,), daemon=True).start()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, mode, String(perConnection)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try XCTUnwrap(Int(line), "no port from the server: \(line)")
        return (process, try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)")))
    }

    private func calls(_ url: URL, count: Int) throws -> [Int] {
        let client = OdooClient(url: url, database: "d", user: "u", apiKey: "k", timeout: 5)
        return try (0..<count).map { _ in try XCTUnwrap(try client.call(service: "common", method: "version", args: []) as? Int) }
    }

    func testChunkedBodiesAreJoined() throws {
        let (process, url) = try server("chunked")
        defer { process.terminate() }
        XCTAssertEqual(try calls(url, count: 3), [1, 2, 3])
    }

    func testABodyEndedByClosingIsReadAndTheNextCallReconnects() throws {
        let (process, url) = try server("close")
        defer { process.terminate() }
        XCTAssertEqual(try calls(url, count: 3), [1, 2, 3])
    }

    func testAKeptConnectionTheServerClosedIsNotReused() throws {
        let (process, url) = try server("length", perConnection: 1)
        defer { process.terminate() }
        let client = OdooClient(url: url, database: "d", user: "u", apiKey: "k", timeout: 5)
        XCTAssertEqual(try client.call(service: "common", method: "version", args: []) as? Int, 1)
        Thread.sleep(forTimeInterval: 0.2) // the server has closed the connection by now
        XCTAssertEqual(try client.call(service: "common", method: "version", args: []) as? Int, 2)
    }

    func testNobodyListeningIsConnectionRefused() throws {
        let client = OdooClient(url: try XCTUnwrap(URL(string: "http://127.0.0.1:9")), database: "d", user: "u", apiKey: "k", timeout: 5)
        XCTAssertThrowsError(try client.call(service: "common", method: "version", args: [])) { error in
            XCTAssertEqual(error as? OdooError, .unreachable(url: "http://127.0.0.1:9", reason: .connectionRefused))
        }
    }
}
