import CadangCore
import Foundation

/// The folder archives go to, usually on a USB drive, and the checks made before writing there.
struct Destination {
    /// The folder.
    let folder: URL
    /// Refuse unless the folder is on a mounted filesystem other than the one holding `/`.
    let requireMount: Bool

    /// Makes sure archives can go there: the drive is mounted when required, the folder exists
    /// (created 0700 when its parent does), and it is a folder.
    func prepare() throws {
        if requireMount {
            // An unmounted drive leaves an empty mount point on the system disk; writing there
            // would fill the system disk and give a false sense of safety.
            let existing = Self.nearestExisting(folder)
            guard let here = Self.device(of: existing), let root = Self.device(of: URL(fileURLWithPath: "/")), here != root else {
                throw CadangError(.unavailable, "archive destination \(folder.path): drive not mounted (\(existing.path) is on the system disk)",
                                  fix: "plug in and mount the drive, then run again")
            }
        }
        let parent = folder.deletingLastPathComponent()
        guard FileSystem.exists(folder) || FileSystem.exists(parent) else {
            throw CadangError(.unavailable, "archive destination \(folder.path) is not available: \(parent.path) does not exist",
                              fix: "mount the drive or create \(parent.path)")
        }
        try FileSystem.makeDirectory(folder)
    }

    /// Fails when the drive has less room than `needed` bytes.
    func checkFreeSpace(needed: Int64) throws {
        var stats = statvfs()
        guard statvfs(folder.path, &stats) == 0 else { throw CadangError.system("check free space on", folder.path, errno: errno) }
        let available = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        guard available >= needed else {
            throw CadangError(.failure, "archive destination \(folder.path) is full: \(ByteCount.format(available)) free, about \(ByteCount.format(needed)) needed",
                              fix: "free some space on the drive or lower keep_* so older archives are removed")
        }
    }

    private static func nearestExisting(_ url: URL) -> URL {
        var current = url.standardizedFileURL
        while !FileSystem.exists(current) && current.path != "/" { current = current.deletingLastPathComponent() }
        return current
    }

    private static func device(of url: URL) -> UInt64? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return UInt64(info.st_dev)
    }
}
