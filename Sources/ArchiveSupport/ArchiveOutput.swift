import CadangCore
import Foundation

/// The archive file being written: every byte goes to the file and through SHA-256, so the
/// archive's own digest is known when it is closed.
final class ArchiveOutput {
    private let fd: Int32
    private let path: String
    private let digest = SHA256()
    /// Bytes written so far.
    private(set) var bytes: Int64 = 0

    /// Creates `url` (which must not exist) with mode 0600.
    init(creating url: URL) throws {
        path = url.path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CadangError.system("create", path, errno: errno) }
    }

    deinit { close(fd) }

    /// Writes all of `buffer`; a full drive is reported as such.
    func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard !buffer.isEmpty else { return }
        digest.update(buffer)
        var offset = 0
        while offset < buffer.count {
            let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw code == ENOSPC || code == EDQUOT ? full() : CadangError.system("write", path, errno: code)
            }
            offset += written
        }
        bytes += Int64(buffer.count)
    }

    /// Flushes the file to the disk; returns its SHA-256 (hex) and size.
    func finish() throws -> (sha256: String, bytes: Int64) {
        guard fsync(fd) == 0 else {
            let code = errno
            throw code == ENOSPC || code == EDQUOT ? full() : CadangError.system("write", path, errno: code)
        }
        return (digest.finalizeHex(), bytes)
    }

    private func full() -> CadangError {
        CadangError(.failure, "the drive holding \((path as NSString).deletingLastPathComponent) is full: the archive could not be written",
                    fix: "free some space on the drive, or keep fewer archives there (keep_*)")
    }
}
