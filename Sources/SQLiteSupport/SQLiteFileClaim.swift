import CadangCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Exclusive use of a SQLite file without opening it through SQLite: an open-file-description
/// write lock over SQLite's lock bytes (PENDING, RESERVED and the SHARED range). Any connection
/// holding a lock makes the claim fail; while it is held, every connection that tries to read or
/// write gets SQLITE_BUSY. Unlike `BEGIN EXCLUSIVE` it never rolls back a hot journal, so the file
/// and its journal can be saved exactly as they are.
public final class SQLiteFileClaim {
    private var fd: Int32

    /// SQLite's lock bytes start at 1 GiB (PENDING_BYTE) and span PENDING, RESERVED and 510 SHARED bytes.
    private static let lockStart: Int = 0x4000_0000
    private static let lockLength: Int = 512
    /// F_OFD_SETLK from <fcntl.h> (Linux ≥ 3.15), not exported to Swift by Glibc.
    private static let setOpenFileDescriptionLock: Int32 = 37

    /// Claims `path`; throws when another program holds any SQLite lock on it.
    public init(path: String) throws {
        fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw CadangError.system("open", path, errno: errno) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(Self.lockStart)
        lock.l_len = off_t(Self.lockLength)
        lock.l_pid = 0
        if fcntl(fd, Self.setOpenFileDescriptionLock, &lock) != 0 {
            let code = errno
            close(fd)
            fd = -1
            if code == EAGAIN || code == EACCES {
                throw CadangError(.failure, "\(path) is in use: another program (the kasir app?) holds a lock on it",
                                  fix: "close the app and try again, or pass --force")
            }
            throw CadangError.system("lock", path, errno: code)
        }
    }

    deinit { release() }

    /// Drops the lock.
    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }
}
