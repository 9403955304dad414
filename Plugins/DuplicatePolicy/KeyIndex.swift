import CadangCore
import Foundation
import SQLiteSupport

/// The keys of the rows a job's sets hold, in a SQLite file in the repository's `index/`: one
/// B-tree, so a lookup costs the same at a thousand keys or ten million and memory stays flat.
///
/// Every key is tagged with the set that wrote it. A run adds its keys inside one transaction,
/// committed just before its set is renamed into place; keys whose set is not listed (the run
/// crashed in between, or the set was pruned since) are deleted when the next run opens the index.
final class KeyIndex {
    private let database: SQLiteDatabase
    private let url: URL
    private var setNumber: Int64 = 0
    private var inTransaction = false

    /// Opens (creating) the index of `job` kept by policy `policy`, forgets the keys of sets no longer listed, and starts
    /// the transaction of the run that will commit as `setID`.
    init(repository: Repository, job: String, policy: String, setID: String) throws {
        url = try repository.indexFile(job: job, suffix: "\(policy).keys")
        database = try SQLiteDatabase(path: url.path, mode: .readWriteCreate)
        do {
            try database.execute("""
                PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS sets (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
                CREATE TABLE IF NOT EXISTS keys (
                    dataset TEXT NOT NULL, key NOT NULL, set_n INTEGER NOT NULL,
                    PRIMARY KEY (dataset, key)) WITHOUT ROWID; -- no affinity: text '007' stays text
                CREATE INDEX IF NOT EXISTS keys_by_set ON keys (set_n);
                """)
            try database.execute("BEGIN IMMEDIATE")
            inTransaction = true
            let listed = Set(repository.sets(job: job).map(\.id))
            let known = try database.prepare("SELECT n, id FROM sets")
            var gone: [Int64] = []
            while try known.step() {
                if !listed.contains(known.string(1) ?? "") { gone.append(known.int64(0)) }
            }
            let forgetKeys = try database.prepare("DELETE FROM keys WHERE set_n = ?")
            let forgetSet = try database.prepare("DELETE FROM sets WHERE n = ?")
            for n in gone {
                forgetKeys.bind(n, at: 1)
                try forgetKeys.run()
                forgetSet.bind(n, at: 1)
                try forgetSet.run()
            }
            let register = try database.prepare("INSERT INTO sets (id) VALUES (?) RETURNING n")
            register.bind(setID, at: 1)
            guard try register.step() else { throw CadangError(.failure, "key index \(url.path): cannot register set \(setID)") }
            setNumber = register.int64(0)
            while try register.step() {}
        } catch let error as CadangError {
            abandon()
            throw CadangError(error.status, "key index of job '\(job)' cannot be used: \(error.message)",
                              fix: "if it is damaged, delete \(url.path); the next run then writes every row again")
        }
    }

    /// Adds keys of one dataset; each `insert` reports whether the key was new.
    func inserter(dataset: String) throws -> Inserter {
        Inserter(statement: try database.prepare("INSERT OR IGNORE INTO keys (dataset, key, set_n) VALUES (?, ?, ?)"),
                 dataset: dataset, setNumber: setNumber)
    }

    /// Makes the run's keys durable; they count once the set is listed.
    func commit() throws {
        try database.execute("COMMIT")
        inTransaction = false
    }

    /// Drops the run's keys.
    func abandon() {
        if inTransaction { try? database.execute("ROLLBACK") }
        inTransaction = false
    }

    /// One prepared insert for one dataset.
    final class Inserter {
        private let statement: SQLiteStatement

        init(statement: SQLiteStatement, dataset: String, setNumber: Int64) {
            self.statement = statement
            statement.bind(dataset, at: 1)
            statement.bind(setNumber, at: 3)
        }

        /// Records `key` (a cell of a batch whose arena is `bytes`); true when no listed set or
        /// earlier row of this run had it.
        @inline(__always)
        func insert(_ key: Cell, in bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
            statement.bind(key, in: bytes, at: 2)
            return try statement.run() == 1
        }
    }
}
