import CadangCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Runs one hook as ops §2 says: its argv without a shell, the `CADANG_*` values as environment
/// variables (never spliced into text), stdin /dev/null, umask 077, its output into the log (cut
/// at 64 KiB), and at its timeout SIGTERM to its whole process group, SIGKILL 10 s later.
struct HookRunner {
    /// How a hook ended.
    enum Outcome: Equatable {
        case exited(Int32)
        case killedBySignal(Int32)
        case timedOut
        case couldNotStart(String)

        /// One line for the log and for `CADANG_ERROR`.
        func describe(_ program: String) -> String {
            switch self {
            case .exited(let code): "hook \(program) exited with status \(code)"
            case .killedBySignal(let signal): "hook \(program) was killed by signal \(signal)"
            case .timedOut: "hook \(program) took longer than its timeout and was stopped"
            case .couldNotStart(let reason): "hook \(program) could not be started: \(reason)"
            }
        }
    }

    static let outputLimit = 64 << 10
    static let killGrace: Double = 10

    let logger: Logger

    /// Runs `argv` with `variables` added to this process's environment; waits at most `timeout` seconds.
    func run(_ argv: [String], variables: [String: String], timeout: Double) -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(variables) { _, new in new }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return .couldNotStart(String(cString: strerror(errno))) }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        defer { close(readEnd) }
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, so a timeout stops what it started too; default signal handling.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)

        var pid: pid_t = 0
        let previousMask = umask(0o077)
        let spawned = withCStrings(argv) { argvPointers in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { environmentPointers in
                posix_spawnp(&pid, argv[0], &actions, &attributes, argvPointers, environmentPointers)
            }
        }
        umask(previousMask)
        close(writeEnd)
        guard spawned == 0 else { return .couldNotStart(String(cString: strerror(spawned))) }
        return wait(for: pid, reading: readEnd, timeout: timeout, program: argv[0])
    }

    private func wait(for pid: pid_t, reading fd: Int32, timeout: Double, program: String) -> Outcome {
        let start = Date()
        var output = OutputLines(limit: Self.outputLimit)
        var timedOut = false
        var killAt: Date?
        var status: Int32 = 0
        var exited = false
        var open = true
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while !exited {
            if open {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 100) > 0 {
                    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count > 0 { output.append(buffer[0..<count]) } else if count == 0 || errno != EINTR { open = false }
                }
            } else {
                usleep(50_000)
            }
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { exited = true; break }
            if !timedOut, Date().timeIntervalSince(start) > timeout {
                timedOut = true
                kill(-pid, SIGTERM)
                killAt = Date().addingTimeInterval(Self.killGrace)
            } else if let deadline = killAt, Date() > deadline {
                kill(-pid, SIGKILL)
                killAt = nil
            }
        }
        if timedOut { kill(-pid, SIGKILL) }
        // What is still in the pipe; a grandchild that keeps it open is not waited for.
        while open {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else { break }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { output.append(buffer[0..<count]) } else { open = false }
        }
        for line in output.lines { logger.notice("hook \(program): \(line)") }
        if output.cut { logger.notice("hook \(program): (output cut at \(Self.outputLimit / 1024) KiB)") }
        if timedOut { return .timedOut }
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .killedBySignal(status & 0x7f)
    }

    private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}

/// A hook's output, kept up to a limit.
private struct OutputLines {
    let limit: Int
    private var bytes: [UInt8] = []
    private(set) var cut = false

    init(limit: Int) { self.limit = limit }

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        let room = limit - bytes.count
        if chunk.count > room { cut = true }
        bytes += chunk.prefix(max(0, room))
    }

    var lines: [String] {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }
}
