import ArgumentParser
import CadangCore
import CadangHost
import CadangServe
import Foundation

struct ServeCommand: ParsableCommand, CadangAction {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API the tills send orders to, and the web console (config serve:).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Listen on HOST:PORT instead of serve.listen (port 0: a free one, printed).")
    var listen: String?

    func perform() throws -> ExitStatus {
        let session = global.session(progress: false)
        let service = try HostService(session: session)
        let server = try CadangServer(service: service, listen: listen, logger: session.logger)
        let outcome = AsyncOutcome()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await server.run()
                outcome.set(nil)
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            throw CadangError.from(error, while: "cadang serve")
        }
        return .success
    }
}

/// What the server's task ended with, handed to the waiting thread.
private final class AsyncOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    func set(_ error: (any Error)?) { lock.withLock { stored = error } }
    var error: (any Error)? { lock.withLock { stored } }
}
