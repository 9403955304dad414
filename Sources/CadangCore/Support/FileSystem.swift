import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few filesystem operations the repository's crash-safety rests on, done with POSIX calls so
/// that modes (0600/0700) and fsyncs are exact.
public enum FileSystem {
    /// Creates a folder with mode 0700 (and missing parents, also 0700).
    public static func makeDirectory(_ url: URL) throws {
        let path = url.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw CadangError(.failure, "cannot create folder \(path): a file has that name", fix: "move that file away")
        }
        let parent = url.deletingLastPathComponent()
        if parent.path != path { try makeDirectory(parent) }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw CadangError.system("create folder", path, errno: errno)
        }
    }

    /// Flushes a file or folder to stable storage.
    public static func sync(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CadangError.system("open", url.path, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL {
            throw CadangError.system("flush", url.path, errno: errno)
        }
    }

    /// Renames atomically (same filesystem).
    public static func rename(_ from: URL, to: URL) throws {
        if Glibc.rename(from.path, to.path) != 0 {
            throw CadangError.system("rename \(from.path) to", to.path, errno: errno)
        }
    }

    /// Writes `bytes` to `url` crash-safely: temporary name, fsync, rename, fsync the folder. The
    /// file gets exactly `mode` (0600 unless said; the umask does not narrow it).
    public static func writeAtomically(_ bytes: [UInt8], to url: URL, mode: mode_t = 0o600) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CadangError.system("create", temporary.path, errno: errno) }
        do {
            if mode != 0o600, fchmod(fd, mode) != 0 { throw CadangError.system("set the mode of", temporary.path, errno: errno) }
            try writeAll(fd, bytes, path: temporary.path)
            if fsync(fd) != 0 { throw CadangError.system("flush", temporary.path, errno: errno) }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary.path)
            throw error
        }
        try rename(temporary, to: url)
        try sync(url.deletingLastPathComponent())
    }

    /// Writes every byte to a descriptor, retrying short writes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Writes every byte to a descriptor, retrying short writes.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw CadangError.system("write", path, errno: errno)
            }
            offset += written
        }
    }

    /// Copies a file to a new path (mode 0600) and fsyncs the copy.
    public static func copy(_ source: URL, to destination: URL) throws {
        let input = open(source.path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw CadangError.system("open", source.path, errno: errno) }
        defer { close(input) }
        let output = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw CadangError.system("create", destination.path, errno: errno) }
        defer { close(output) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(input, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw CadangError.system("read", source.path, errno: errno)
            }
            if n == 0 { break }
            try writeAll(output, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), path: destination.path)
        }
        if fsync(output) != 0 { throw CadangError.system("flush", destination.path, errno: errno) }
    }

    /// Removes a file or folder tree; missing is fine.
    public static func remove(_ url: URL) throws {
        do {
            try FileManager.default.removeItem(at: url)
        } catch CocoaError.fileNoSuchFile {
        } catch let error as NSError where error.domain == NSCocoaErrorDomain && error.code == NSFileNoSuchFileError {
        } catch {
            throw CadangError(.failure, "cannot remove \(url.path): \(error.localizedDescription)")
        }
    }

    /// Streams a file through SHA-256; returns the hex digest and the byte count.
    public static func sha256(of url: URL, progress: ProgressStep? = nil) throws -> (sha256: String, bytes: Int64) {
        let (digests, bytes) = try digests(of: url, [.sha256], progress: progress)
        return (digests[.sha256] ?? "", bytes)
    }

    /// Streams a file once through every digest in `algorithms`; returns the hex digests and the byte count.
    public static func digests(of url: URL, _ algorithms: Set<Digest.Algorithm>,
                               progress: ProgressStep? = nil) throws -> (digests: [Digest.Algorithm: String], bytes: Int64) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CadangError.system("open", url.path, errno: errno) }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        let hashers = algorithms.map { Digest($0) }
        var total: Int64 = 0
        while true {
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw CadangError.system("read", url.path, errno: errno)
            }
            if n == 0 { break }
            for hasher in hashers { hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
            total += Int64(n)
            progress?.advance(by: Int64(n))
        }
        return (Dictionary(uniqueKeysWithValues: hashers.map { ($0.algorithm, $0.finalizeHex()) }), total)
    }

    /// Names in a folder (no `.`/`..`); empty when the folder is missing.
    public static func contents(of url: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    }

    /// Whether a path exists.
    public static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }
}
