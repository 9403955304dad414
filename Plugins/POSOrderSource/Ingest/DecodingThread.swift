import Foundation

/// One file's items split and decoded on a thread of their own, handed to the store's thread a
/// batch at a time: parsing and hashing the next batch overlaps storing the last one.
///
/// At most `depth` batches wait, so memory stays a few batches whatever the file's size. Batches
/// come in file order; the last one says whether the whole file was read (`isLast`) or reading it
/// failed (`readError`). `finish()` stops the thread early and waits for it, so no thread outlives
/// the ingest that started it.
final class DecodingThread: @unchecked Sendable {
    // @unchecked: `waiting`, `done` and `stopped` are guarded by `condition`; a batch changes
    // hands under that lock.

    /// What the thread made of a run of consecutive items.
    struct Batch: Sendable {
        var records: [OrderRecord] = []
        /// Where each record came from, for its `stored` event ("orders.json item 3").
        var origins: [String] = []
        var rejected: [IngestReport.Rejection] = []
        /// Items read, rejected ones included.
        var read = 0
        /// The file's last batch: every item was read, so the file can be recorded as ingested.
        var isLast = false
        /// Reading the file failed after these items (or it could not be opened): it is not
        /// recorded, so the next run reads it again.
        var readError: IngestReport.Rejection?

        /// Nothing more comes after this batch.
        var ends: Bool { isLast || readError != nil }
    }

    private let condition = NSCondition()
    private var waiting: [Batch] = []
    private var done = false
    private var stopped = false
    private let depth: Int

    /// Starts splitting and decoding `file` in batches of `batchSize` records.
    init(file: URL, maxItemBytes: Int, batchSize: Int, depth: Int = 3) {
        self.depth = depth
        let thread = Thread { [self] in
            produce(file: file, maxItemBytes: maxItemBytes, batchSize: batchSize)
            condition.withLock {
                done = true
                condition.broadcast()
            }
        }
        thread.name = "cadang decode"
        thread.start()
    }

    /// The next batch in file order, waiting for it; nil after the one that `ends`.
    func next() -> Batch? {
        condition.withLock {
            while waiting.isEmpty && !done { condition.wait() }
            guard !waiting.isEmpty else { return nil }
            condition.broadcast()
            return waiting.removeFirst()
        }
    }

    /// Stops the thread if it is still going and waits until it has let go of the file.
    func finish() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            while !done { condition.wait() }
        }
    }

    /// Hands `batch` over, waiting while `depth` batches wait; false once the reader has stopped.
    private func hand(_ batch: Batch) -> Bool {
        condition.withLock {
            while waiting.count >= depth && !stopped { condition.wait() }
            guard !stopped else { return false }
            waiting.append(batch)
            condition.broadcast()
            return true
        }
    }

    private func produce(file: URL, maxItemBytes: Int, batchSize: Int) {
        let name = file.lastPathComponent
        var batch = Batch()
        let splitter: PayloadSplitter
        do {
            splitter = try PayloadSplitter(path: file.path, maxItemBytes: maxItemBytes)
        } catch {
            batch.readError = .init(file: file.path, item: nil, reason: error.reason)
            _ = hand(batch)
            return
        }
        var decoder = OrderDecoder()
        while true {
            let event: PayloadEvent?
            do {
                event = try splitter.next()
            } catch {
                // What was read is stored; the file is not recorded, so it is read again.
                batch.readError = .init(file: file.path, item: nil, reason: error.reason)
                _ = hand(batch)
                return
            }
            switch event {
            case nil:
                batch.isLast = true
                _ = hand(batch)
                return
            case .item(let item):
                batch.read += 1
                switch decoder.decode(item) {
                case .success(let record):
                    batch.records.append(record)
                    batch.origins.append("\(name) item \(item.index)")
                case .failure(let rejection):
                    batch.rejected.append(.init(file: file.path, item: item.index, reason: rejection.reason))
                }
            case .rejected(let index, let reason):
                if index != nil { batch.read += 1 }
                batch.rejected.append(.init(file: file.path, item: index, reason: reason))
            }
            if batch.records.count == batchSize {
                guard hand(batch) else { return }
                batch = Batch()
                batch.records.reserveCapacity(batchSize)
                batch.origins.reserveCapacity(batchSize)
            }
        }
    }
}
