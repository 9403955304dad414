import CadangCore

/// A set as `list --json` and `run --json` print it (DESIGN.md §5): artifact paths are absolute.
public struct SetSummary: Encodable, Sendable {
    /// One file of the set.
    public struct ArtifactSummary: Encodable, Sendable {
        public var path: String
        public var dataset: String
        public var format: String
        public var bytes: Int64
        public var rows: Int?
        public var sha256: String
    }

    public var id: String
    public var job: String
    public var time: String
    public var status: String
    public var bytes: Int64
    public var directory: String
    public var artifacts: [ArtifactSummary]
    public var warnings: [String]
    /// Copies made by the job's sinks elsewhere (e.g. archives on a USB drive).
    public var copies: [ArchivedCopies.Copy]

    init(_ set: BackupSet, copies: [ArchivedCopies.Copy] = []) {
        id = set.id
        job = set.job
        time = set.manifest.time
        status = "complete"
        bytes = set.totalBytes
        directory = set.directory.path
        artifacts = set.manifest.artifacts.map {
            ArtifactSummary(path: set.url(of: $0).path, dataset: $0.dataset, format: $0.format, bytes: $0.bytes, rows: $0.rows, sha256: $0.sha256)
        }
        warnings = set.manifest.warnings
        self.copies = copies
    }
}
