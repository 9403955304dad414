import Foundation

/// What a restore will do, for `--dry-run` and the confirmation question.
public struct RestorePlan: Sendable {
    /// The set restored from.
    public var set: BackupSet
    /// The snapshot artifact in it.
    public var artifact: Artifact
    /// The file that will be replaced (or created).
    public var target: URL
    /// Existing files saved into a `before-restore` set first (target and companions).
    public var filesToSave: [URL]
    /// Companion files removed after the replace.
    public var staleCompanions: [URL]

    /// Lines saying what will happen.
    public var description: String {
        var lines = ["restore \(artifact.path) of set \(set.id) (job \(set.job), \(Timestamp.localDateTime(set.time)), \(artifact.bytes) bytes)",
                     "  to \(target.path)"]
        if filesToSave.isEmpty {
            lines.append("  \(target.lastPathComponent) does not exist yet: nothing to save first")
        } else {
            lines.append("  saving first, as a set of job '\(Restorer.beforeRestoreJob)': " + filesToSave.map(\.lastPathComponent).joined(separator: ", "))
        }
        if !staleCompanions.isEmpty {
            lines.append("  then removing the stale " + staleCompanions.map(\.lastPathComponent).joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
