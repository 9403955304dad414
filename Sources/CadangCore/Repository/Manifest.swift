import Foundation

/// The description of a set, written last: a folder is a set only when this file is present and valid.
public struct Manifest: Codable, Sendable, Equatable {
    /// One source that contributed to the set.
    public struct SourceEntry: Codable, Sendable, Equatable {
        /// Instance name in the config.
        public var name: String
        /// Plugin name.
        public var plugin: String
        /// The source's own one-line description of what it read.
        public var description: String
        /// The digest of its content, when a policy asked for it (`skip-unchanged` compares them).
        public var fingerprint: String?

        /// Creates an entry.
        public init(name: String, plugin: String, description: String, fingerprint: String? = nil) {
            self.name = name
            self.plugin = plugin
            self.description = description
            self.fingerprint = fingerprint
        }
    }

    /// A table whose rows a policy filtered: the set holds only the rows earlier sets lacked.
    public struct FilteredTable: Codable, Sendable, Equatable {
        /// Source instance name.
        public var source: String
        /// Dataset (table) name.
        public var dataset: String
        /// The column that identifies a row.
        public var key: String
        /// Rows the source had.
        public var read: Int
        /// Rows written into the set (the rest were in earlier sets).
        public var written: Int

        /// Creates an entry.
        public init(source: String, dataset: String, key: String, read: Int, written: Int) {
            self.source = source
            self.dataset = dataset
            self.key = key
            self.read = read
            self.written = written
        }
    }

    /// Manifest format marker.
    public static let currentFormat = "cadang-manifest/1"
    /// File name of the manifest inside a set.
    public static let fileName = "manifest.json"

    /// Format marker, `cadang-manifest/1`.
    public var format: String
    /// The set's id.
    public var id: String
    /// The job that made it.
    public var job: String
    /// The set's time, RFC 3339 with offset.
    public var time: String
    /// When the set was actually written (differs from `time` with `--time`).
    public var created: String
    /// `cadang <version>`.
    public var tool: String
    /// What was read.
    public var sources: [SourceEntry]
    /// Every file of the set except the manifest.
    public var artifacts: [Artifact]
    /// Warnings raised while writing.
    public var warnings: [String]
    /// Present when the set is incremental: the tables that hold only new rows, with their counts.
    public var incremental: [FilteredTable]?

    /// Creates a manifest.
    public init(id: String, job: String, time: String, created: String, tool: String,
                sources: [SourceEntry], artifacts: [Artifact], warnings: [String], incremental: [FilteredTable]? = nil) {
        format = Manifest.currentFormat
        self.id = id
        self.job = job
        self.time = time
        self.created = created
        self.tool = tool
        self.sources = sources
        self.artifacts = artifacts
        self.warnings = warnings
        self.incremental = incremental
    }

    /// The manifest as pretty, key-sorted JSON bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [10]
    }

    /// Reads and checks a manifest file; `nil` when missing or invalid (the folder is then no set).
    public static func read(from url: URL) -> Manifest? {
        guard let data = try? Data(contentsOf: url),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data),
              manifest.format == currentFormat, SetID.isValid(manifest.id),
              Timestamp.parse(manifest.time) != nil
        else { return nil }
        return manifest
    }
}
