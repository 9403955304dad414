import Foundation

/// A source plugin that can write the starter config `cadang init --KEY VALUE` produces (kasir:
/// `cadang init --kasir instance/kasir.db`).
public protocol StarterConfigProviding {
    /// The word after `--` in `cadang init` (e.g. `kasir`).
    static var starterKey: String { get }
    /// What the value after `--KEY` is, for `cadang init --help` (e.g. "the kasir app's database").
    static var starterHelp: String { get }
    /// Further `--NAME VALUE` options this starter takes beside the host's own (`--repository`,
    /// `--archive`, `--force`); `cadang init` refuses any other. Default: none.
    static var starterOptions: [StarterOption] { get }
    /// The job the written config's first run should be (`cadang init` prints `next: cadang run JOB`).
    static var starterJob: String { get }
    /// The commented YAML for `request`; it must pass `cadang config check` as written (given the
    /// environment variables its `${VAR}` values name).
    static func starterConfig(_ request: StarterRequest) -> String
    /// Things worth knowing before the first run (e.g. the database file does not exist yet).
    static func starterWarnings(_ request: StarterRequest, configFolder: URL) -> [String]
}

extension StarterConfigProviding {
    public static var starterHelp: String { "the value of its starter config" }
    public static var starterOptions: [StarterOption] { [] }
    public static var starterJob: String { "auto" }
}

/// An extra `cadang init` option a starter declares: `--NAME VALUE`.
public struct StarterOption: Sendable, Equatable {
    /// The option's name, as written after `--` (e.g. `odoo`).
    public var name: String
    /// The value's placeholder in help (e.g. `URL`).
    public var valueName: String
    /// One line for `cadang init --help`.
    public var help: String

    /// Creates an option.
    public init(_ name: String, valueName: String, help: String) {
        self.name = name
        self.valueName = valueName
        self.help = help
    }
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
    /// The starter's own options that were given (`starterOptions`), by name, values as given.
    public var options: [String: String]
    /// The language of the config's comments (the locale's); keys and values are the same in every language.
    public var language: Language

    /// Creates a request.
    public init(value: String, repository: String, archive: String?, fileName: String, options: [String: String] = [:],
                language: Language = .english) {
        self.value = value
        self.repository = repository
        self.archive = archive
        self.fileName = fileName
        self.options = options
        self.language = language
    }
}
