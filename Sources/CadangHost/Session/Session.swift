import CadangCore
import Foundation
import Logging

/// One invocation of `cadang`: which plugins exist, which config to read, where to log.
public struct Session: Sendable {
    /// The plugins of this build.
    public var registry: PluginRegistry
    /// The config file as the user named it (`--config`, `$CADANG_CONFIG`, or `cadang.yaml`).
    public var configPath: String
    /// Diagnostics go here (standard error).
    public var logger: Logger
    /// `--quiet`: print only errors.
    public var quiet: Bool

    /// Tool name and version recorded in manifests.
    public static let tool = "cadang \(version)"
    /// This build's version.
    public static let version = "0.1.0"

    /// Creates a session; `configPath` nil means `$CADANG_CONFIG` or `./cadang.yaml`.
    public init(registry: PluginRegistry, configPath: String?, quiet: Bool = false, logger: Logger = Logger(label: "cadang")) {
        self.registry = registry
        self.configPath = configPath ?? ProcessInfo.processInfo.environment["CADANG_CONFIG"] ?? "cadang.yaml"
        self.logger = logger
        self.quiet = quiet
    }

    /// Loads and validates the config.
    public func loadConfig() throws -> Config {
        try ConfigLoader(registry: registry).load(path: configPath)
    }

    /// Prints a result line unless `--quiet`.
    func say(_ line: String) {
        if !quiet { print(line) }
    }
}
