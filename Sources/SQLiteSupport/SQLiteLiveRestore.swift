import CadangCore
import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Restores a verified snapshot into a live SQLite database through the online backup API: the
/// same file (same inode) gets the snapshot's pages in one SQLite write transaction, so
/// connections a running app keeps open see the restored data at their next transaction and go on
/// working, and a crash part-way leaves the old content (SQLite's own journal or WAL).
///
/// The before-restore copy is made under the same write lock, taken by a first backup step that
/// copies nothing: no sale can commit between the copy and the restore.
public struct SQLiteLiveRestore {
    /// The live database.
    public let target: URL
    /// The verified snapshot.
    public let snapshot: URL
    /// How long to wait for the app's write transaction to end, in seconds.
    public let busyTimeout: Double

    /// Creates the restore of `snapshot` into `target`.
    public init(target: URL, snapshot: URL, busyTimeout: Double) {
        self.target = target
        self.snapshot = snapshot
        self.busyTimeout = busyTimeout
    }

    /// Whether the target can be restored into.
    public enum Assessment: Sendable, Equatable {
        /// A sound SQLite database; `wal` when in WAL mode.
        case usable(wal: Bool)
        /// Not one SQLite can restore into as it is; `reason` says why, as a clause.
        case unusable(reason: String)
        /// Another connection kept it locked for all of `busyTimeout`.
        case busy
    }

    /// The write lock could not be taken: another connection stayed in a write transaction (or,
    /// in rollback-journal mode, a read transaction) for all of `seconds`.
    public struct Busy: Error, Sendable {
        /// How long it waited.
        public var seconds: Double
    }

    /// `SQLITE_READONLY_ROLLBACK` (a C macro expression Swift does not import): a read-only
    /// connection found a hot journal it would have to roll back.
    private static let readOnlyRollback: Int32 = 776
    /// `SQLITE_IOERR_SHORT_READ`, likewise.
    private static let shortRead: Int32 = 522

    /// Looks at the target without changing it: a read-only connection runs `PRAGMA quick_check`.
    /// A file with a hot journal (an interrupted write) counts as unusable: opening it for writing
    /// would make SQLite roll the journal back before the journal could be saved as it was found.
    public func assess() throws -> Assessment {
        let database = try SQLiteDatabase(path: target.path, mode: .readOnly, busyTimeout: busyTimeout)
        var found: [String] = []
        let code = database.collect("PRAGMA quick_check", into: &found)
        switch code & 0xff {
        case SQLITE_DONE:
            break
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .busy
        case SQLITE_NOTADB:
            return .unusable(reason: "it is not a SQLite database")
        case SQLITE_CORRUPT:
            return .unusable(reason: "SQLite reports it damaged (\(database.lastMessage))")
        case SQLITE_READONLY where code == Self.readOnlyRollback:
            return .unusable(reason: "it holds an interrupted write (a hot journal), which is kept exactly as found")
        default:
            throw SQLiteError.make(code, database.handle, path: target.path, action: "check")
        }
        guard found == ["ok"] else {
            let shown = found.prefix(3).joined(separator: "; ")
            return .unusable(reason: "quick_check found \(shown)" + (found.count > 3 ? " (and \(found.count - 3) more)" : ""))
        }
        let wal = try database.journalMode() == "wal"
        if wal {
            // SQLite cannot change the page size of a database in WAL mode, so the backup API
            // refuses to copy pages of another size into it.
            let live = Int(try database.strings("PRAGMA page_size").first ?? "") ?? 0
            let copy = try Self.header(of: snapshot).pageSize
            if live != copy {
                return .unusable(reason: "it is in WAL mode with \(live)-byte pages and the snapshot has \(copy)-byte pages, which SQLite cannot copy into it")
            }
        }
        return .usable(wal: wal)
    }

    /// How long the parts of a restore took, in seconds.
    public struct Timing: Sendable {
        /// Waiting for the write lock (the app's transaction in progress).
        public var lockWait = 0.0
        /// The before-restore set, written with the lock held.
        public var save = 0.0
        /// Copying the snapshot in and committing, with the lock held.
        public var copy = 0.0

        /// All zero.
        public init() {}
    }

    /// Takes the write lock on the target, lets `save` write the before-restore set from the files
    /// this provides (read under the lock), then copies the snapshot in and commits. Throws `Busy`
    /// when the lock cannot be had within `busyTimeout`; nothing is changed then.
    public func restore<Saved>(wal: Bool, timing: inout Timing, savingFirst save: ([SafetyFile]) throws -> Saved) throws -> Saved {
        // A snapshot of a WAL database says "WAL" in its header, and the backup API copies that
        // header into a rollback-journal target, which would turn it into a WAL database for every
        // connection. Such a snapshot is first copied and set to the target's mode (the other way
        // round SQLite keeps the target in WAL mode itself).
        var source = snapshot
        let converted = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).cadang-restore")
        let snapshotIsWAL = try Self.header(of: snapshot).wal
        let convert = !wal && snapshotIsWAL
        if convert {
            try removeConverted(converted)
            try FileSystem.copy(snapshot, to: converted)
            try SQLiteDatabase(path: converted.path, mode: .readWrite).execute("PRAGMA journal_mode = DELETE")
            source = converted
        }
        defer { if convert { try? removeConverted(converted) } }

        let from = try SQLiteDatabase(path: source.path, mode: .immutable)
        let live = try SQLiteDatabase(path: target.path, mode: .readWrite, busyTimeout: busyTimeout)
        guard let backup = sqlite3_backup_init(live.handle, "main", from.handle, "main") else {
            throw SQLiteError.make(sqlite3_errcode(live.handle), live.handle, path: target.path, action: "start restoring into")
        }
        var unfinished = true
        defer { if unfinished { sqlite3_backup_finish(backup) } }

        // Copies no page; takes the write lock on the live file (EXCLUSIVE in rollback-journal
        // mode, the WAL write lock in WAL mode), waiting through the busy handler, and keeps it
        // until the last step commits.
        var clock = Date()
        var code = sqlite3_backup_step(backup, 0)
        switch code & 0xff {
        case SQLITE_OK, SQLITE_DONE: break
        case SQLITE_BUSY, SQLITE_LOCKED: throw Busy(seconds: busyTimeout)
        default: throw SQLiteError.make(code, live.handle, path: target.path, action: "lock")
        }
        timing.lockWait = Date().timeIntervalSince(clock)
        clock = Date()

        let saved = try save(try safetyFiles(live: live, wal: wal))
        timing.save = Date().timeIntervalSince(clock)
        clock = Date()

        code = sqlite3_backup_step(backup, -1)
        unfinished = false
        let finish = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else {
            // The write transaction was rolled back: the live file holds its old content.
            throw SQLiteError.make(code, live.handle, path: target.path, action: "restore into")
        }
        guard finish == SQLITE_OK else { throw SQLiteError.make(finish, live.handle, path: target.path, action: "restore into") }
        timing.copy = Date().timeIntervalSince(clock)
        if wal {
            // The restored pages are in the WAL; fold what no reader still needs into the file.
            // Passive: it never waits for the app, and the WAL alone already holds the data.
            try? live.execute("PRAGMA wal_checkpoint(PASSIVE)")
        }
        return saved
    }

    /// What goes into the before-restore set, read while the write lock is held.
    private func safetyFiles(live: SQLiteDatabase, wal: Bool) throws -> [SafetyFile] {
        let name = target.lastPathComponent
        if wal {
            // A consistent copy through a second connection: a reader beside the lock, it sees the
            // last commit (no other can follow while the lock is held), WAL content included. The
            // raw -wal would not do: a restore of the set puts back the database file alone.
            let path = target.path
            let timeout = busyTimeout
            return [SafetyFile(name: name, checked: true) { destination in
                let fd = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw CadangError.system("create", destination.path, errno: errno) }
                close(fd)
                try SQLiteDatabase(path: path, mode: .readOnly, busyTimeout: timeout).backup(to: destination.path)
                try FileSystem.sync(destination)
                return nil
            }]
        }
        // Rollback-journal mode: the EXCLUSIVE lock keeps everyone out, so the file's bytes are
        // the database. They are read through SQLite's own descriptor: opening and closing another
        // descriptor of the file would drop every POSIX lock this process holds on it, the
        // EXCLUSIVE lock included.
        var files = [SafetyFile(name: name, checked: true) { destination in try Self.copyMainFile(of: live, to: destination) }]
        let journal = URL(fileURLWithPath: target.path + "-journal")
        // A journal left by journal_mode=PERSIST or TRUNCATE; SQLite locks only the database file.
        if FileSystem.exists(journal) { files.append(.copy(of: journal)) }
        return files
    }

    /// Copies the database file of `database`'s main schema through the connection's own file
    /// handle, hashing on the way; returns the SHA-256.
    private static func copyMainFile(of database: SQLiteDatabase, to destination: URL) throws -> String {
        var file: UnsafeMutablePointer<sqlite3_file>?
        let code = sqlite3_file_control(database.handle, "main", SQLITE_FCNTL_FILE_POINTER, &file)
        guard code == SQLITE_OK, let file, let methods = file.pointee.pMethods,
              let read = methods.pointee.xRead, let fileSize = methods.pointee.xFileSize else {
            throw CadangError(.failure, "cannot read \(database.path) through SQLite to save it before the restore")
        }
        var size: sqlite3_int64 = 0
        let sized = fileSize(file, &size)
        guard sized == SQLITE_OK else { throw SQLiteError.make(sized, database.handle, path: database.path, action: "read") }
        let output = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw CadangError.system("create", destination.path, errno: errno) }
        defer { close(output) }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        let hasher = SHA256()
        var offset: sqlite3_int64 = 0
        while offset < size {
            let count = Int(min(sqlite3_int64(chunk), size - offset))
            let result = read(file, buffer.baseAddress, Int32(count), offset)
            guard result == SQLITE_OK else {
                // A short read would mean the file shrank under the lock: never save a cut copy.
                let action = result == shortRead ? "read all of" : "read"
                throw SQLiteError.make(result, database.handle, path: database.path, action: action)
            }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            try FileSystem.writeAll(output, bytes, path: destination.path)
            hasher.update(bytes)
            offset += sqlite3_int64(count)
        }
        if fsync(output) != 0 { throw CadangError.system("flush", destination.path, errno: errno) }
        return hasher.finalizeHex()
    }

    private func removeConverted(_ url: URL) throws {
        for suffix in ["", "-journal", "-wal", "-shm"] { try FileSystem.remove(URL(fileURLWithPath: url.path + suffix)) }
    }

    /// The fields of a database header that decide how it can be copied.
    struct Header {
        /// Bytes per page.
        var pageSize: Int
        /// Whether the header marks the file as a WAL database (file format versions 2).
        var wal: Bool
    }

    /// Reads the 100-byte header of a file nobody writes (the snapshot).
    static func header(of url: URL) throws -> Header {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let bytes = [UInt8](try handle.read(upToCount: 100) ?? Data())
        guard bytes.count == 100 else {
            throw CadangError(.damaged, "snapshot \(url.path) is damaged: it is shorter than a SQLite header", fix: "restore from another set")
        }
        let raw = Int(bytes[16]) << 8 | Int(bytes[17])
        // The value 1 stands for 65536, which does not fit in two bytes.
        return Header(pageSize: raw == 1 ? 65536 : raw, wal: bytes[18] == 2 && bytes[19] == 2)
    }
}

extension SQLiteDatabase {
    /// Runs a query, appending its first column of every row to `rows`; returns the code that
    /// ended it (`SQLITE_DONE` when it ran through), so callers can tell SQLite's reasons apart.
    func collect(_ sql: String, into rows: inout [String]) -> Int32 {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        guard prepared == SQLITE_OK, let statement else { return prepared == SQLITE_OK ? SQLITE_DONE : prepared }
        while true {
            let code = sqlite3_step(statement)
            guard code == SQLITE_ROW else { return code }
            rows.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
        }
    }

    /// SQLite's message for the last failure on this connection.
    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}
