import Foundation
import Logging

/// What a plugin instance is built from: its name in the config, its options, and where relative
/// paths start.
public struct PluginConfiguration: Sendable {
    /// The instance name in the config (e.g. `excel` for a `csv` sink).
    public var name: String
    /// Validated options with defaults.
    public var options: PluginOptions
    /// The config file's folder; relative paths in options start here.
    public var baseDirectory: URL
    /// Where the plugin logs.
    public var logger: Logger

    /// Creates a configuration.
    public init(name: String, options: PluginOptions, baseDirectory: URL, logger: Logger = Logger(label: "cadang")) {
        self.name = name
        self.options = options
        self.baseDirectory = baseDirectory
        self.logger = logger
    }

    /// Resolves a path option against the config file's folder.
    public func path(_ option: String) -> URL? {
        options.string(option).map(resolve)
    }

    /// Resolves a path written in the config (e.g. one inside a group option) against its folder.
    public func resolve(_ path: String) -> URL {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath, relativeTo: baseDirectory).standardizedFileURL
    }
}
