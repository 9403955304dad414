import CadangHost
import Logging
import Synchronization

/// Wires swift-log to standard error, once per process.
enum LoggingBootstrap {
    private static let done = Mutex(false)

    static func once(level: Logger.Level) {
        done.withLock { done in
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { _ in StderrLogHandler(level: level) }
        }
    }
}
