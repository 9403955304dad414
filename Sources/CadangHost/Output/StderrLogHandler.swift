import Foundation
import Logging

/// Logs as `cadang: warning: message` lines on standard error.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    /// A handler showing messages at `level` and above.
    public init(level: Logger.Level) {
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let prefix = switch event.level {
        case .trace, .debug: "debug: "
        case .info, .notice: ""
        case .warning: "warning: "
        case .error, .critical: "error: "
        }
        FileHandle.standardError.write(Data("\(TerminalProgress.active ? "\r\u{1B}[K" : "")cadang: \(prefix)\(event.message)\n".utf8))
    }
}
