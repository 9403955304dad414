import CadangCore
import CSQLite

/// A failed SQLite call, turned into a message that names the file and says what to do.
enum SQLiteError {
    static func make(_ code: Int32, _ db: OpaquePointer?, path: String, action: String) -> CadangError {
        var detail = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? ""
        // The backup API reports some errors only through its return code.
        if detail.isEmpty || detail == "not an error" { detail = String(cString: sqlite3_errstr(code)) }
        switch code & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return CadangError(.failure, "\(path) is busy: another program kept it locked while cadang tried to \(action)",
                               fix: "run again when the app is idle, or raise the source's busy_timeout")
        case SQLITE_NOTADB:
            return CadangError(.failure, "\(path) is not a SQLite database", fix: "check the 'database' path in the config")
        case SQLITE_CORRUPT:
            return CadangError(.failure, "\(path) is damaged (\(detail))",
                               fix: "restore it from a backup set with 'cadang restore'")
        case SQLITE_CANTOPEN:
            return CadangError(.failure, "cannot open \(path): \(detail)", fix: "check that the file exists and is readable")
        case SQLITE_FULL:
            return CadangError(.failure, "cannot \(action): the disk holding \(path) is full", fix: "free some space")
        case SQLITE_READONLY:
            return CadangError(.failure, "cannot \(action): \(path) is read-only", fix: "check its permissions")
        case SQLITE_IOERR:
            return CadangError(.failure, "cannot \(action) \(path): I/O error (\(detail))", fix: "check the disk")
        default:
            return CadangError(.failure, "cannot \(action) \(path): \(detail)")
        }
    }
}
