import Foundation

/// A source plugin that can write the starter config `cadang init --KEY VALUE` produces (kasir:
/// `cadang init --kasir instance/kasir.db`).
public protocol StarterConfigProviding {
    /// The word after `--` in `cadang init` (e.g. `kasir`).
    static var starterKey: String { get }
    /// The commented YAML for `request`; it must pass `cadang config check` as written.
    static func starterConfig(_ request: StarterRequest) -> String
    /// Things worth knowing before the first run (e.g. the database file does not exist yet).
    static func starterWarnings(_ request: StarterRequest, configFolder: URL) -> [String]
}

/// What `cadang init` was asked for.
public struct StarterRequest: Sendable {
    /// The value after `--KEY` (e.g. the database path), as the user gave it.
    public var value: String
    /// `--repository`, as given; `./backups` when not.
    public var repository: String
    /// `--archive`, as given: a folder (often on a USB drive) for archives of the main job.
    public var archive: String?
    /// The config file's name, for its header.
    public var fileName: String

    /// Creates a request.
    public init(value: String, repository: String, archive: String?, fileName: String) {
        self.value = value
        self.repository = repository
        self.archive = archive
        self.fileName = fileName
    }
}
