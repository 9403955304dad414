import CadangCore
import Logging

/// `new-rows` in one run: filters each keyed table down to the rows no listed set of the job holds,
/// recording their keys in the job's key index, which is committed just before the set.
final class NewRowsRun: PolicyRun {
    private let policy: String
    private let keys: [String: String]
    private let index: KeyIndex
    private let logger: Logger
    private var seen: Set<String> = []

    init(policy: String, keys: [String: String], run: RunContext, logger: Logger) throws {
        self.policy = policy
        self.keys = keys
        self.logger = logger
        index = try KeyIndex(repository: run.job.repository, job: run.job.job, policy: policy, setID: run.setID)
    }

    func rowFilter(for table: TableSchema, source: String) throws -> (any RowFilter)? {
        guard let key = keys[table.name] else { return nil }
        guard let column = table.columns.firstIndex(where: { $0.name == key }) else {
            throw CadangError(.usage, "duplicate policy '\(policy)': dataset '\(table.name)' of source '\(source)' has no column '\(key)'",
                              fix: "use one of: \(table.columns.map(\.name).joined(separator: ", "))")
        }
        seen.insert(table.name)
        // Keys are per source and dataset: two sources may both have a `transaksi`.
        return KeyFilter(key: key, column: column, inserter: try index.inserter(dataset: "\(source).\(table.name)"))
    }

    func prepareCommit() throws {
        for dataset in Set(keys.keys).subtracting(seen).sorted() {
            logger.notice("duplicate policy '\(policy)': no dataset '\(dataset)' was written in this run; its key is unused")
        }
        try index.commit()
    }

    func abandon() { index.abandon() }
}

/// Keeps the rows whose key is new; rows with a NULL key cannot be told apart and are always kept.
final class KeyFilter: RowFilter {
    let key: String
    private let column: Int
    private let inserter: KeyIndex.Inserter
    private var keep: [Bool] = []

    init(key: String, column: Int, inserter: KeyIndex.Inserter) {
        self.key = key
        self.column = column
        self.inserter = inserter
    }

    func filter(_ batch: inout RowBatch) throws {
        // Decide first, then compact: the batch cannot be read while it is being compacted.
        keep.removeAll(keepingCapacity: true)
        try batch.withBytes { bytes in
            for row in 0..<batch.rowCount {
                let cell = batch.cell(row: row, column: column)
                if case .null = cell { keep.append(true); continue }
                keep.append(try inserter.insert(cell, in: bytes))
            }
        }
        batch.retainRows { keep[$0] }
    }
}
