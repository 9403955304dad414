import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The repository's writer lock: an `flock` on `lock`, which the kernel drops when its process
/// dies (so a killed run never blocks the next), plus the holder's PID, host, start time and
/// command written in the file so a waiting run can say who holds it.
public final class RepositoryLock {
    /// Who holds (or held) a lock.
    public struct Holder: Codable, Sendable, CustomStringConvertible {
        /// Process id.
        public var pid: Int32
        /// Host name.
        public var host: String
        /// RFC 3339 start time.
        public var started: String
        /// What it is doing, e.g. `cadang run auto`.
        public var command: String

        /// `cadang run auto (PID 4242 on host kasir-pc since 2026-11-21T23:00:00+07:00)`.
        public var description: String { "\(command) (PID \(pid) on host \(host) since \(started))" }
    }

    private var fd: Int32
    /// The previous holder whose lock was stale and taken over, if any.
    public let tookOverFrom: Holder?

    private init(fd: Int32, tookOverFrom: Holder?) {
        self.fd = fd
        self.tookOverFrom = tookOverFrom
    }

    deinit { release() }

    static func acquire(at url: URL, repository: String, wait: Double?, command: String) throws -> RepositoryLock {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CadangError.system("open lock file", url.path, errno: errno) }
        let deadline = Date().addingTimeInterval(wait ?? 0)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw CadangError.system("lock", url.path, errno: code)
            }
            if Date() >= deadline {
                let holder = readHolder(fd)
                close(fd)
                let who = holder.map { "by \($0)" } ?? "by another cadang process"
                let waited = wait.map { " after waiting \(DurationText.format($0))" } ?? ""
                throw CadangError(.locked, "repository \(repository) is locked \(who)\(waited)",
                                  fix: "let it finish, or wait for it with --lock-wait 10m")
            }
            usleep(50_000)
        }
        let previous = readHolder(fd)
        let me = Holder(pid: getpid(), host: ProcessInfo.processInfo.hostName, started: Timestamp.rfc3339(Date()), command: command)
        let bytes = Array((try? JSONEncoder().encode(me)) ?? Data()) + [10]
        ftruncate(fd, 0)
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        fsync(fd)
        return RepositoryLock(fd: fd, tookOverFrom: previous)
    }

    private static func readHolder(_ fd: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return try? JSONDecoder().decode(Holder.self, from: Data(buffer[0..<n]))
    }

    /// Clears the holder record and unlocks. Idempotent.
    public func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }
}
