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
    /// How the source means to put it back.
    public var approach: RestoreApproach
    /// The other processes that have the target open now.
    public var holders: OpenFileHolders.Scan

    /// The verified snapshot file.
    public var snapshot: URL { self.set.url(of: artifact) }

    /// Lines saying what will happen.
    public var description: String {
        var lines = ["restore \(artifact.path) of set \(set.id) (job \(set.job), \(Timestamp.localDateTime(set.time)), \(artifact.bytes) bytes)",
                     "  to \(target.path)"]
        if filesToSave.isEmpty {
            lines.append("  \(target.lastPathComponent) does not exist yet: nothing to save first")
        } else {
            lines.append("  saving first, as a set of job '\(Restorer.beforeRestoreJob)': " + filesToSave.map(\.lastPathComponent).joined(separator: ", "))
        }
        let file = target.lastPathComponent
        let one = holders.holders.count == 1
        switch approach {
        case .inPlace(let how, _):
            lines.append("  \(how) into the live file, which stays the same file")
            if !holders.holders.isEmpty {
                lines.append("  \(file) is open in \(holders.names()): \(one ? "it" : "they") will see the restored data and keep working")
            }
        case .rename(let reason):
            if let reason { lines.append("  by writing it beside the old file and renaming it over it: \(reason)") }
            if !staleCompanions.isEmpty {
                lines.append("  then removing the stale " + staleCompanions.map(\.lastPathComponent).joined(separator: ", "))
            }
            if !holders.holders.isEmpty {
                lines.append("  REFUSED unless --force: \(file) is open in \(holders.names()), which would be left on the old, deleted file")
            }
        }
        if let note = holders.uninspectedNote { lines.append("  (\(note))") }
        return lines.joined(separator: "\n")
    }
}
