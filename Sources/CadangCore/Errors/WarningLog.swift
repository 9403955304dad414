import Foundation
import Logging

/// Collects a run's warnings: they are logged as they happen, recorded in the manifest, and make
/// the run's exit status `partial` when something was skipped.
public final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    private var skipped = false
    private let logger: Logger

    /// Creates an empty log that also reports to `logger`.
    public init(logger: Logger = Logger(label: "cadang")) {
        self.logger = logger
    }

    /// Records a warning about data that was kept but altered (e.g. invalid UTF-8 replaced).
    public func warn(_ message: String) {
        logger.warning("\(message)")
        lock.withLock { items.append(message) }
    }

    /// Records that something was left out of the set; the run then ends `partial`.
    public func skipped(_ message: String) {
        logger.warning("\(message)")
        lock.withLock {
            items.append(message)
            skipped = true
        }
    }

    /// Every warning so far.
    public var messages: [String] { lock.withLock { items } }
    /// Whether anything was left out.
    public var somethingSkipped: Bool { lock.withLock { skipped } }
}
