import Foundation

/// `PRAGMA quick_check` of a snapshot on its own connection and thread, so that on a machine with
/// a second core it overlaps the exports (or the hashing of the snapshot file) instead of
/// preceding them. `wait()` returns its verdict; nothing is committed before it is known.
public final class BackgroundQuickCheck: @unchecked Sendable {
    private let lock = NSCondition()
    private var outcome: Result<[String], any Error>?
    private var seconds = 0.0
    private let connection: Result<Connection, any Error>

    /// Starts checking the file at `path`. The connection is opened here, before the caller goes
    /// on, so the check reads the file it was given even once the engine has renamed it into the set.
    public init(path: String) {
        connection = Result { Connection(try SQLiteDatabase(path: path, mode: .immutable)) }
        let thread = Thread { [self] in
            let start = Date()
            let result = Result { () throws -> [String] in try connection.get().database.quickCheck() }
            lock.lock()
            outcome = result
            seconds = Date().timeIntervalSince(start)
            lock.broadcast()
            lock.unlock()
        }
        thread.name = "cadang quick_check"
        thread.start()
    }

    /// Hands a connection to the checking thread, which alone runs statements on it from then on.
    private struct Connection: @unchecked Sendable {
        let database: SQLiteDatabase
        init(_ database: SQLiteDatabase) { self.database = database }
    }

    /// Blocks until the check is done: the problems found (empty when sound) or its error, and
    /// how long it took.
    public func wait() -> (result: Result<[String], any Error>, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        while outcome == nil { lock.wait() }
        return (outcome!, seconds)
    }

    /// Stops a check whose verdict is no longer needed (the run ends early), then waits for it.
    public func cancel() {
        lock.lock()
        let done = outcome != nil
        lock.unlock()
        if !done, case .success(let connection) = connection { connection.database.interrupt() }
        _ = wait()
    }
}
