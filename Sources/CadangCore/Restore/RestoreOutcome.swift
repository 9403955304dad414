import Foundation

/// How a source means to put a snapshot back, for the plan (`--dry-run`, the question).
public enum RestoreApproach: Sendable {
    /// Into the live file, which stays the same file: programs that have it open see the restored
    /// data and keep working. `how` says through what (e.g. SQLite's online backup API); `saves`
    /// lists what goes into the before-restore set.
    case inPlace(how: String, saves: [URL])
    /// Written beside the target under a temporary name and renamed over it. `reason` says why the
    /// target cannot be restored in place; nil when it does not exist yet or the source has no other way.
    case rename(reason: String?)
}

/// One file of a before-restore set, written by whoever can read it consistently (the core copies
/// a file it may open; a source may read through its own connection to the live file).
public struct SafetyFile {
    /// The file's name in the set: the target's own name or a companion's (`kasir.db-journal`).
    public var name: String
    /// True when the content is known to pass the source's format check, so the copy is not
    /// checked again (time during which the app cannot write); false to check the copy.
    public var checked: Bool
    /// Creates the file at the given URL (mode 0600), fills and fsyncs it; returns its SHA-256
    /// (hex) when it hashed the bytes on the way, nil to let the core read them again.
    public var write: (URL) throws -> String?

    /// Creates a safety file entry.
    public init(name: String, checked: Bool, write: @escaping (URL) throws -> String?) {
        self.name = name
        self.checked = checked
        self.write = write
    }

    /// A plain copy of `file`, for a file no process writes while the restore holds its claim.
    public static func copy(of file: URL) -> SafetyFile {
        SafetyFile(name: file.lastPathComponent, checked: false) { destination in
            try FileSystem.copy(file, to: destination)
            return nil
        }
    }
}

/// What a restore did.
public struct RestoreOutcome: Sendable {
    /// How the snapshot was put back.
    public enum Method: Sendable {
        /// Into the live file, the same file: `how`, e.g. "through SQLite's online backup API".
        case inPlace(how: String)
        /// Renamed over the target (`reason` why, nil when it did not exist).
        case renamed(reason: String?)
    }

    /// How the snapshot was put back.
    public var method: Method
    /// The before-restore set, when there was something to save.
    public var safety: BackupSet?
    /// The other processes that had the target open during the restore.
    public var holders: OpenFileHolders.Scan

    /// Creates an outcome.
    public init(method: Method, safety: BackupSet?, holders: OpenFileHolders.Scan) {
        self.method = method
        self.safety = safety
        self.holders = holders
    }

    /// The lines that follow "restored TARGET from …": how, and what the programs that had it open
    /// see now (or that they must be restarted).
    public func lines(target: URL) -> [String] {
        var lines: [String] = []
        let file = target.lastPathComponent
        switch method {
        case .inPlace(let how):
            lines.append("  \(how) into the live file (same file, same inode)")
        case .renamed(let reason):
            if let reason { lines.append("  by writing it beside the old file and renaming it over it: \(reason)") }
        }
        if let safety { lines.append("the previous file is saved as set \(safety.id) (job \(Restorer.beforeRestoreJob))") }
        let (they, see, use) = holders.holders.count == 1 ? ("it", "sees", "uses") : ("they", "see", "use")
        switch (method, holders.holders.isEmpty) {
        case (.inPlace, false):
            lines.append("\(file) was open in \(holders.names()): \(they) now \(see) the restored data; nothing to restart")
        case (.renamed, false):
            lines.append("\(file) was open in \(holders.names()): RESTART \(they == "it" ? "IT" : "THEM") NOW; \(they) still \(use) the old, deleted file and every write fails until then")
        case (_, true):
            lines.append("no other program had \(file) open")
        }
        if let note = holders.uninspectedNote { lines.append("(\(note))") }
        return lines
    }
}
