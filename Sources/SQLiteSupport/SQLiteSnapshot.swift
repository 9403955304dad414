import Foundation

/// One consistent copy of a live SQLite database, taken in one step of the online backup API
/// (so it is one instant even while the app writes), with `quick_check` of the copy started on its
/// own thread at once. Read the copy through `open()`; ask `check` for the verdict before trusting
/// what was read.
public final class SQLiteSnapshot {
    /// The copy.
    public let url: URL
    /// Its size.
    public let bytes: Int64
    /// How long the copy took.
    public let seconds: Double
    /// The live database's journal mode (`wal`, `delete`, …), for descriptions.
    public let journalMode: String
    /// `quick_check` of the copy, running beside whatever reads it.
    public let check: BackgroundQuickCheck

    /// Copies `live` to `url`, waiting up to `busyTimeout` seconds for a writer's lock.
    public init(of live: URL, into url: URL, busyTimeout: Double) throws {
        self.url = url
        let source = try SQLiteDatabase(path: live.path, mode: .readOnly, busyTimeout: busyTimeout)
        let start = Date()
        let liveBytes = (try? FileManager.default.attributesOfItem(atPath: live.path)[.size] as? NSNumber)?.int64Value
        let progress = FileGrowthProgress("snapshot \(live.lastPathComponent)", watching: url, total: liveBytes ?? 0)
        defer { progress.stop() }
        try source.backup(to: url.path)
        seconds = Date().timeIntervalSince(start)
        bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
        journalMode = try source.journalMode()
        // Opened here, before the caller goes on, so the check reads this file even once it is
        // renamed into a set.
        check = BackgroundQuickCheck(path: url.path)
    }

    /// A read-only connection to the copy that takes no locks and writes no side files.
    public func open() throws -> SQLiteDatabase {
        try SQLiteDatabase(path: url.path, mode: .immutable)
    }
}
