import ArchiveSupport
import CadangCore
import Foundation

/// `cadang restore --from-archive FILE --to DIR`: writes a set archive's checked files (and its
/// manifest) into a folder. Everything is unpacked and checked in a private folder inside DIR
/// first; only then are the files moved into place, and nothing already in DIR is overwritten.
struct ArchiveExtraction {
    /// The archive.
    var archive: String
    /// The folder to write into (created if missing).
    var folder: String
    /// The key for an encrypted archive.
    var key: ArchiveKey?

    func execute(in session: Session) throws -> ExitStatus {
        let source = RestoreAction.url(archive)
        let target = RestoreAction.url(folder)
        try FileSystem.makeDirectory(target)
        let staging = try Self.stagingFolder(in: target)
        defer { try? FileSystem.remove(staging) }
        let contents = try SetArchiveReader(url: source, key: key).read(extractingInto: staging)
        let paths = [Manifest.fileName] + contents.manifest.artifacts.map(\.path)
        // A link inside DIR (e.g. `kasir -> /etc`) would carry a file outside it; refuse rather than follow.
        if let linked = paths.lazy.compactMap({ Self.linkedComponent(of: $0, under: target) }).first {
            throw CadangError(.failure, "\(linked) is a symbolic link; nothing was written", fix: "choose an empty folder with --to")
        }
        let taken = paths.filter { FileSystem.exists(target.appendingPathComponent($0)) }
        guard taken.isEmpty else {
            throw CadangError(.failure, "\(target.path) already holds \(taken.prefix(3).joined(separator: ", ")); nothing was written",
                              fix: "choose an empty folder with --to")
        }
        for path in paths {
            let destination = target.appendingPathComponent(path)
            try FileSystem.makeDirectory(destination.deletingLastPathComponent())
            try FileSystem.rename(staging.appendingPathComponent(path), to: destination)
        }
        try FileSystem.sync(target)
        session.say("wrote \(contents.files) checked file(s) and manifest.json of set \(contents.manifest.id) (job '\(contents.manifest.job)', \(contents.manifest.time)) into \(target.path)")
        return .success
    }

    /// The first existing component of `path` under `folder` that is a symbolic link, if any.
    private static func linkedComponent(of path: String, under folder: URL) -> String? {
        var current = folder
        for component in path.split(separator: "/") {
            current = current.appendingPathComponent(String(component))
            var info = stat()
            if lstat(current.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK { return current.path }
        }
        return nil
    }

    /// A new private folder for unpacking next to `target` (same filesystem, so files move by rename).
    static func stagingFolder(beside target: URL) throws -> URL {
        let parent = target.deletingLastPathComponent()
        guard FileSystem.exists(parent) else {
            throw CadangError(.failure, "cannot restore to \(target.path): folder \(parent.path) does not exist", fix: "create it first")
        }
        return try stagingFolder(in: parent)
    }

    private static func stagingFolder(in folder: URL) throws -> URL {
        var random = SystemRandomNumberGenerator()
        let name = ".cadang-archive-" + Hex.encode((0..<6).map { _ in UInt8.random(in: 0...255, using: &random) })
        let url = folder.appendingPathComponent(name, isDirectory: true)
        guard mkdir(url.path, 0o700) == 0 else { throw CadangError.system("create folder", url.path, errno: errno) }
        return url
    }
}
