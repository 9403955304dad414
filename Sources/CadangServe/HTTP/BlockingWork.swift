import Dispatch

/// Runs the host's blocking work (databases, files, Odoo) off the server's event loops, which must
/// never wait: one slow import would otherwise stall every till's request.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "cadang.serve.work", attributes: .concurrent)

    /// `body`'s result, computed on a worker thread.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
