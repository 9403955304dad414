import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 POSTs over one kept-alive TCP connection, for `http://` Odoo addresses (usually Odoo on
/// the same machine or network). An import makes two calls per order; URLSession spends about 2 ms
/// of its own per request on Linux (dispatch queues, a libcurl handle, header callbacks), more than
/// the stand-in Odoo spends creating an order's search, so plain sockets carry those calls.
/// `https://` keeps URLSession and its TLS.
///
/// A connection is reused only when the server has not closed it meanwhile (checked before each
/// request); a request is never sent twice: a failure after writing it is reported, and the
/// caller's re-check by uuid settles what Odoo did.
final class PlainHTTPConnection: @unchecked Sendable {
    // @unchecked: `socket` is used only while `lock` is held.
    private let lock = NSLock()
    private var socket: Int32 = -1
    /// What `recv` reads into, kept between calls.
    private var scratch = [UInt8](repeating: 0, count: 65_536)
    private let host: String
    private let port: Int
    private let timeout: TimeInterval

    /// A connection to `url`'s host and port (80 when it names none); nothing is opened yet.
    init?(url: URL, timeout: TimeInterval) {
        guard url.scheme == "http", let host = url.host, !host.isEmpty else { return nil }
        self.host = host
        self.port = url.port ?? 80
        self.timeout = timeout
    }

    deinit {
        if socket >= 0 { close(socket) }
    }

    /// The status and body of POSTing `body` to `path`.
    func post(path: String, body: Data, server: String) throws(OdooError) -> (status: Int, body: Data) {
        lock.lock()
        defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        if socket >= 0 && !isIdleAndOpen() { drop() }
        if socket < 0 { socket = try connect(deadline: deadline, server: server) }
        let hostHeader = port == 80 ? host : "\(host):\(port)"
        var request = Data("POST \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        request.append(body)
        do throws(OdooError) {
            try write(request, deadline: deadline, server: server)
            return try readResponse(deadline: deadline, server: server)
        } catch {
            drop()
            throw error
        }
    }

    private func drop() {
        if socket >= 0 { close(socket) }
        socket = -1
    }

    /// Whether the kept connection is still open with nothing unread (a server that closed it
    /// makes it readable: EOF).
    private func isIdleAndOpen() -> Bool {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    private func connect(deadline: Date, server: String) throws(OdooError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
            throw .unreachable(url: server, reason: .hostNotFound)
        }
        defer { freeaddrinfo(first) }
        var reason = OdooUnreachableReason.connectionRefused
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            let fd = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
                                  address.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return fd }
            guard errno == EINPROGRESS else {
                reason = unreachable(errno)
                close(fd)
                continue
            }
            guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
                close(fd)
                throw .unreachable(url: server, reason: .timedOut(seconds: timeout))
            }
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
            if failure == 0 { return fd }
            reason = unreachable(failure)
            close(fd)
        }
        throw .unreachable(url: server, reason: reason)
    }

    private func unreachable(_ code: Int32) -> OdooUnreachableReason {
        switch code {
        case ECONNREFUSED: .connectionRefused
        case ETIMEDOUT: .timedOut(seconds: timeout)
        default: .other(String(cString: strerror(code)))
        }
    }

    /// Waits until `fd` is ready for `events`; false at the deadline.
    private func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(left * 1000, Double(Int32.max)).rounded(.up)))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }
        }
    }

    private func write(_ data: Data, deadline: Date, server: String) throws(OdooError) {
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { bytes in
                send(socket, bytes.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EINTR) {
                guard wait(socket, for: Int16(POLLOUT), until: deadline) else {
                    throw .unreachable(url: server, reason: .timedOut(seconds: timeout))
                }
            } else {
                throw .unreachable(url: server, reason: .connectionLost)
            }
        }
    }

    /// Reads more bytes into `buffer`; false at end of stream.
    private func fill(_ buffer: inout [UInt8], deadline: Date, server: String) throws(OdooError) -> Bool {
        while true {
            let fd = socket
            let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: scratch[..<count])
                return true
            }
            if count == 0 { return false }
            guard errno == EAGAIN || errno == EINTR else { throw .unreachable(url: server, reason: .connectionLost) }
            guard wait(socket, for: Int16(POLLIN), until: deadline) else {
                throw .unreachable(url: server, reason: .timedOut(seconds: timeout))
            }
        }
    }

    private func readResponse(deadline: Date, server: String) throws(OdooError) -> (status: Int, body: Data) {
        var buffer: [UInt8] = []
        var headerEnd: Int?
        while headerEnd == nil {
            guard try fill(&buffer, deadline: deadline, server: server) else {
                throw .unreachable(url: server, reason: .connectionLost)
            }
            headerEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headerEnd == nil && buffer.count > 1 << 20 { throw .badResponse(url: server, detail: "HTTP headers over 1 MiB") }
        }
        guard let end = headerEnd else { throw .unreachable(url: server, reason: .connectionLost) }
        let head = String(decoding: buffer[..<end], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusWords = head.first?.split(separator: " ") ?? []
        guard statusWords.count >= 2, statusWords[0].hasPrefix("HTTP/1."), let status = Int(statusWords[1]) else {
            throw .badResponse(url: server, detail: "not an HTTP response: \(String(head.first ?? "").prefix(60).debugDescription)")
        }
        var length: Int?
        var chunked = false
        var closes = statusWords[0] == "HTTP/1.0"
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
            switch name {
            case "content-length": length = Int(value)
            case "transfer-encoding": chunked = value.contains("chunked")
            case "connection": closes = value.contains("close") ? true : (value.contains("keep-alive") ? false : closes)
            default: break
            }
        }
        var body = Array(buffer[(end + 4)...])
        if chunked {
            body = try readChunked(body, deadline: deadline, server: server)
        } else if let length {
            while body.count < length {
                guard try fill(&body, deadline: deadline, server: server) else { throw .unreachable(url: server, reason: .connectionLost) }
            }
            body.removeSubrange(length...)
        } else {
            while try fill(&body, deadline: deadline, server: server) {}
            closes = true
        }
        if closes { drop() }
        return (status, Data(body))
    }

    private func readChunked(_ start: [UInt8], deadline: Date, server: String) throws(OdooError) -> [UInt8] {
        var buffer = start
        var body: [UInt8] = []
        var position = 0
        while true {
            var lineEnd = Self.find([13, 10], in: buffer, from: position)
            while lineEnd == nil {
                guard try fill(&buffer, deadline: deadline, server: server) else { throw .unreachable(url: server, reason: .connectionLost) }
                lineEnd = Self.find([13, 10], in: buffer, from: position)
            }
            guard let sizeEnd = lineEnd else { throw .unreachable(url: server, reason: .connectionLost) }
            let sizeText = String(decoding: buffer[position..<sizeEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw .badResponse(url: server, detail: "a malformed chunk size")
            }
            position = sizeEnd + 2
            // The chunk and its CRLF (after the last, zero-size chunk: the final CRLF).
            while buffer.count < position + size + 2 {
                guard try fill(&buffer, deadline: deadline, server: server) else { throw .unreachable(url: server, reason: .connectionLost) }
            }
            if size == 0 { return body }
            body.append(contentsOf: buffer[position..<(position + size)])
            position += size + 2
        }
    }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        for index in start...(bytes.count - pattern.count) where bytes[index] == pattern[0] {
            if bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
        }
        return nil
    }
}
