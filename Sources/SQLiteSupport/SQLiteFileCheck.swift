import CadangCore
import Foundation

/// The format check of a SQLite file kept in a backup: `PRAGMA quick_check`, opened read-only
/// without locks or side files, so checking never changes the file.
public enum SQLiteFileCheck {
    /// The problems of the database at `url`, as short phrases; empty when sound.
    public static func problems(of url: URL) -> [String] {
        do {
            let found = try SQLiteDatabase(path: url.path, mode: .immutable).quickCheck()
            guard !found.isEmpty else { return [] }
            let shown = found.prefix(3).joined(separator: "; ")
            return ["quick_check failed: \(shown)" + (found.count > 3 ? " (and \(found.count - 3) more)" : "")]
        } catch let error as CadangError {
            // SQLite's messages name the file; the caller's line already does.
            return ["quick_check failed: " + error.message.replacingOccurrences(of: url.path, with: "the file")]
        } catch {
            return ["quick_check failed: \(error)"]
        }
    }
}
