import Foundation

/// The console's logged-in browsers: a random session id in an `HttpOnly; SameSite=Strict`
/// cookie, and per session the CSRF token every form must carry. Kept in memory: a restart
/// logs everyone out, which for a manager's console is the safe side.
final class ConsoleSessions: @unchecked Sendable {
    /// One logged-in browser.
    struct Session: Sendable {
        var id: String
        var csrf: String
        var lastSeen: Date
    }

    /// How long a session lasts without a request.
    static let idleLimit: TimeInterval = 8 * 3600
    /// Sessions kept at most; the least recently seen go first.
    static let capacity = 500

    private let lock = NSLock()
    private var sessions: [String: Session] = [:]

    /// A new session.
    func create() -> Session {
        let session = Session(id: Self.randomToken(), csrf: Self.randomToken(), lastSeen: Date())
        lock.withLock {
            if sessions.count >= Self.capacity, let oldest = sessions.values.min(by: { $0.lastSeen < $1.lastSeen }) {
                sessions[oldest.id] = nil
            }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session with `id`, its idle time restarted; nil when there is none or it expired.
    func session(_ id: String?) -> Session? {
        guard let id, !id.isEmpty else { return nil }
        return lock.withLock {
            guard var session = sessions[id] else { return nil }
            guard Date().timeIntervalSince(session.lastSeen) < Self.idleLimit else {
                sessions[id] = nil
                return nil
            }
            session.lastSeen = Date()
            sessions[id] = session
            return session
        }
    }

    /// Ends a session.
    func remove(_ id: String) {
        lock.withLock { sessions[id] = nil }
    }

    /// 32 random bytes as hex, from the system's generator.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next() as UInt64
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }
}
