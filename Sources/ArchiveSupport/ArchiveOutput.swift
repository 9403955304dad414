import AgeSupport
import CadangCore
import Foundation

/// The archive file being written: every byte goes through SHA-256 and then to the file, so the
/// archive's own digest is known when it is closed; once flushed, the file is read back from the
/// drive and must have that digest.
///
/// With recipients, what is written is encrypted first (age, 64 KiB chunks): the digest, the size
/// and the re-read are then the ciphertext's, the bytes on the drive, which can be checked without
/// the private key; the proof of the contents works on the plaintext before it is encrypted.
final class ArchiveOutput {
    /// What the re-read found.
    struct Reread {
        /// Pages of the file still in the page cache right after they were dropped, out of `pages`:
        /// 0 means every byte came from the drive. A filesystem without a drive behind it (tmpfs)
        /// keeps them all.
        var cachedPages: Int
        var pages: Int
    }

    private let fd: Int32
    private let path: String
    private let digest = SHA256()
    /// Bytes written so far (to the file: ciphertext when encrypting).
    private(set) var bytes: Int64 = 0
    private var encryptor: AgeEncryptor?
    /// Ciphertext not yet written: the encryptor hands out 64 KiB chunks, written 1 MiB at a time.
    private var pending: UnsafeMutableRawBufferPointer?
    private var pendingCount = 0

    /// Creates `url` (which must not exist) with mode 0600; with `recipients`, starts the age
    /// file (its header is written at once).
    init(creating url: URL, recipients: ArchiveRecipients? = nil) throws {
        path = url.path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CadangError.system("create", path, errno: errno) }
        guard let recipients else { return }
        pending = .allocate(byteCount: 1 << 20, alignment: 64)
        do {
            encryptor = try AgeEncryptor(recipients: recipients.keys) { [unowned self] in try self.buffer($0) }
        } catch let error as AgeError {
            throw CadangError(.failure, "cannot start encrypting \(path): \(error)")
        }
    }

    deinit {
        close(fd)
        pending?.deallocate()
    }

    /// Takes the next bytes of the archive: encrypts them if asked, then hashes and writes them.
    func write(_ buffer: UnsafeRawBufferPointer) throws {
        if let encryptor {
            try encryptor.write(buffer)
        } else {
            try store(buffer)
        }
    }

    /// Collects ciphertext into `pending`, writing it out whenever it is full.
    private func buffer(_ ciphertext: UnsafeRawBufferPointer) throws {
        guard let pending, let target = pending.baseAddress, let source = ciphertext.baseAddress else { return }
        var offset = 0
        while offset < ciphertext.count {
            let take = min(pending.count - pendingCount, ciphertext.count - offset)
            (target + pendingCount).copyMemory(from: source + offset, byteCount: take)
            pendingCount += take
            offset += take
            if pendingCount == pending.count { try flushPending() }
        }
    }

    private func flushPending() throws {
        guard let pending, pendingCount > 0 else { return }
        let count = pendingCount
        pendingCount = 0
        try store(UnsafeRawBufferPointer(rebasing: pending[..<count]))
    }

    /// Hashes, then writes, all of `buffer`; a full drive is reported as such. Hashing first means
    /// that whatever the caller checks in `buffer` afterwards is what the digest covers.
    private func store(_ buffer: UnsafeRawBufferPointer) throws {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        digest.update(buffer)
        var offset = 0
        while offset < buffer.count {
            let written = Foundation.write(fd, base + offset, buffer.count - offset)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw code == ENOSPC || code == EDQUOT ? full() : CadangError.system("write", path, errno: code)
            }
            offset += written
        }
        bytes += Int64(buffer.count)
    }

    /// Flushes the file to the drive; returns its SHA-256 (hex) and size. Call once.
    func finish() throws -> (sha256: String, bytes: Int64) {
        if let encryptor {
            try encryptor.finish()
            try flushPending()
        }
        guard fsync(fd) == 0 else {
            let code = errno
            throw code == ENOSPC || code == EDQUOT ? full() : CadangError.system("write", path, errno: code)
        }
        return (digest.finalizeHex(), bytes)
    }

    /// After `finish`: drops the file's pages from the page cache and reads it back, so the bytes
    /// come from the drive, not from memory; fails unless they are the `sha256` computed while
    /// writing. A drive (or cable, or USB bridge) that stores something else is caught here,
    /// before the archive gets its final name.
    func reread(expecting sha256: String, fault: ArchiveFault?) throws -> Reread {
        let reader = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard reader >= 0 else { throw CadangError.system("open", path, errno: errno) }
        defer { close(reader) }
        var written = stat(), opened = stat()
        guard fstat(fd, &written) == 0, fstat(reader, &opened) == 0 else { throw CadangError.system("read", path, errno: errno) }
        guard written.st_dev == opened.st_dev, written.st_ino == opened.st_ino else {
            throw CadangError(.failure, "\(path) was replaced while the archive was written",
                              fix: "make sure nothing else writes into the archive folder, then run again")
        }
        if fault == .driveByte { try flipByte(at: bytes / 2, reader: reader) }

        // Clean pages (fsync made them so) are dropped; the reads below then go to the drive.
        _ = posix_fadvise(reader, 0, 0, POSIX_FADV_DONTNEED)
        let pages = Self.pageCount(bytes)
        let cached = Self.cachedPages(reader, bytes: bytes)
        _ = posix_fadvise(reader, 0, 0, POSIX_FADV_SEQUENTIAL)

        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        let hasher = SHA256()
        var total: Int64 = 0
        while true {
            let count = read(reader, buffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw CadangError.system("read back", path, errno: errno)
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += Int64(count)
        }
        let found = hasher.finalizeHex()
        guard total == bytes, found == sha256 else {
            throw CadangError(.damaged, "archive \(path) read back from the drive is not what was written (\(total) of \(bytes) bytes, SHA-256 \(found.prefix(12))… instead of \(sha256.prefix(12))…); it did not get its final name",
                              fix: "the drive, its cable or its port corrupts data: try another port or drive, then run again")
        }
        return Reread(cachedPages: cached, pages: pages)
    }

    /// `driveByte`: changes one byte of the flushed file in place, as a faulty drive would.
    private func flipByte(at offset: Int64, reader: Int32) throws {
        var byte: UInt8 = 0
        guard bytes > 0, pread(reader, &byte, 1, off_t(offset)) == 1 else { return }
        byte ^= 0x5A
        guard pwrite(fd, &byte, 1, off_t(offset)) == 1, fsync(fd) == 0 else { throw CadangError.system("write", path, errno: errno) }
    }

    private static func pageCount(_ bytes: Int64) -> Int {
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        return Int((bytes + page - 1) / page)
    }

    /// How many of the file's pages are in the page cache (mincore over a mapping that is never
    /// touched, so it faults nothing in); 0 when that cannot be told.
    private static func cachedPages(_ fd: Int32, bytes: Int64) -> Int {
        let pages = pageCount(bytes)
        guard pages > 0, let map = mmap(nil, Int(bytes), PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return 0 }
        defer { munmap(map, Int(bytes)) }
        var vector = [UInt8](repeating: 0, count: pages)
        guard mincore(map, Int(bytes), &vector) == 0 else { return 0 }
        return vector.reduce(0) { $0 + Int($1 & 1) }
    }

    private func full() -> CadangError {
        CadangError(.failure, "the drive holding \((path as NSString).deletingLastPathComponent) is full: the archive could not be written",
                    fix: "free some space on the drive, or keep fewer archives there (keep_*)")
    }
}
