import CadangCore

/// A set as `list --json` and `run --json` print it (DESIGN.md §5): artifact paths are absolute.
struct SetSummary: Encodable {
    struct ArtifactSummary: Encodable {
        var path: String
        var dataset: String
        var format: String
        var bytes: Int64
        var rows: Int?
        var sha256: String
    }

    var id: String
    var job: String
    var time: String
    var status: String
    var bytes: Int64
    var directory: String
    var artifacts: [ArtifactSummary]
    var warnings: [String]
    /// Copies made by the job's sinks elsewhere (e.g. archives on a USB drive).
    var copies: [ArchivedCopies.Copy]

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
