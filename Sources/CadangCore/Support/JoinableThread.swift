import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An OS thread that runs one closure and is joined, never detached: once `join()` returns the
/// thread has exited, so nothing it was given can outlive the caller. (Foundation's `Thread`
/// cannot be joined, and Dispatch's pool may run fewer blocks at once than a pipeline needs to
/// make progress.)
final class JoinableThread {
    private let handle: pthread_t
    private var joined = false

    /// Starts `body` on a new thread named `name` (shown by `top -H` and `perf`; cut to 15 bytes,
    /// Linux's limit).
    init(name: String, _ body: @escaping @Sendable () -> Void) throws {
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        let status = pthread_create(&thread, nil, { Unmanaged<Start>.fromOpaque($0).takeRetainedValue().run(); return nil }, start)
        #else
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            // pthread_create passes back the pointer given below, which is never nil.
            if let raw { Unmanaged<Start>.fromOpaque(raw).takeRetainedValue().run() }
            return nil
        }, start)
        #endif
        guard status == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            throw CadangError(.failure, "cannot start a thread for \(name): \(String(cString: strerror(status)))",
                              fix: "the system is out of threads or memory; retry when fewer programs run")
        }
        #if canImport(Darwin)
        guard let thread else { preconditionFailure("pthread_create succeeded without a thread") }
        #endif
        handle = thread
    }

    /// Waits until the thread has exited. Safe to call more than once.
    func join() {
        guard !joined else { return }
        joined = true
        pthread_join(handle, nil)
    }

    /// A thread left running would touch state its owner has already released.
    deinit { join() }

    /// What the new thread runs, handed over as one retained pointer.
    private final class Start {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }

        func run() {
            // Foundation names the OS thread (pthread_setname_np is not visible from Swift's Glibc).
            Thread.current.name = String(name.utf8.prefix(15)) ?? "cadang"
            body()
        }
    }
}
