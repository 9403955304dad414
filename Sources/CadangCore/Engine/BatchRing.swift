import Foundation

/// The batches of one table in flight between the thread that reads them and the threads that
/// write them: a fixed ring of `RowBatch` buffers that the reader fills in order and every writer
/// releases once it has written them; a buffer released by all is refilled. Memory stays flat
/// (`depth` batches, allocated once and reused), no row is copied on the way, and threads meet
/// once per batch, never per row.
///
/// A failure anywhere stops the reader before its next batch and is recorded with its place in
/// the order the single-threaded loop worked in (batch by batch; in a batch the read first, then
/// the writers in sink order). Work that loop would not have reached is skipped, work it would
/// have done first is still done, so `error` is the very error it would have thrown.
final class BatchRing: @unchecked Sendable {
    // @unchecked: every mutable field below is guarded by `condition`, except a slot's `batch`,
    // whose ownership is handed over under that lock (see `Slot`).

    /// One buffer of the ring. Its batch is changed only by the reader while no writer holds it,
    /// and read by writers only between its publication and their release; both hand-overs happen
    /// under the ring's lock, which orders the memory accesses on either side.
    final class Slot {
        var batch: RowBatch
        /// Writers that have not released the batch yet.
        var holders = 0

        init(columnCount: Int) { batch = RowBatch(columnCount: columnCount) }
    }

    /// A position in the single-threaded order: batch number, then rank (-1 the reader, 0… the
    /// writers in sink order).
    struct Place: Comparable {
        var batch: Int
        var rank: Int

        static func < (a: Place, b: Place) -> Bool { (a.batch, a.rank) < (b.batch, b.rank) }
    }

    /// The reader's rank in `Place`.
    static let readerRank = -1

    private let condition = NSCondition()
    private let slots: [Slot]
    private let writers: Int
    /// Batches published so far; the next one goes into `slots[published % slots.count]`.
    private var published = 0
    /// Set once the reader publishes no more.
    private var closed = false
    private var failure: (place: Place, error: any Error)?

    /// A ring of `depth` batches of `columnCount` cells per row, each to be released by `writers` writers.
    init(depth: Int, columnCount: Int, writers: Int) {
        precondition(depth >= 1 && writers >= 1, "a ring needs a batch and a writer")
        slots = (0..<depth).map { _ in Slot(columnCount: columnCount) }
        self.writers = writers
    }

    /// The first failure in the single-threaded order, once every thread is done.
    var error: (any Error)? {
        condition.withLock { failure?.error }
    }

    // MARK: - The reader's side

    /// Runs on the reading thread: fills batches with `read` (given an empty batch; returns false
    /// after the last rows) and hands each non-empty one to the writers, until the rows end, `read`
    /// throws or a writer failed. Then tells the writers that nothing more comes.
    func produce(_ read: (inout RowBatch) throws -> Bool) {
        defer { close() }
        var more = true
        while more {
            guard let slot = nextFree() else { return }
            slot.batch.removeAll()
            do {
                more = try read(&slot.batch)
            } catch {
                fail(readerAt: error)
                return
            }
            if !slot.batch.isEmpty { publish(slot) }
        }
    }

    /// Waits until the next buffer is released by every writer; `nil` once something failed.
    private func nextFree() -> Slot? {
        condition.lock()
        defer { condition.unlock() }
        let slot = slots[published % slots.count]
        while slot.holders > 0 && failure == nil { condition.wait() }
        return failure == nil ? slot : nil
    }

    private func publish(_ slot: Slot) {
        condition.lock()
        slot.holders = writers
        published += 1
        condition.broadcast()
        condition.unlock()
    }

    private func fail(readerAt error: any Error) {
        condition.lock()
        record(Place(batch: published, rank: Self.readerRank), error)
        condition.unlock()
    }

    /// No more batches: writers finish the published ones and return. Also what a failed start
    /// calls, so writers already running do not wait forever.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - A writer's side

    /// Runs on writer `rank`'s thread: hands every published batch, in order, to `write`, and
    /// returns once the reader closed the ring and every batch was released. After a failure it
    /// still releases each batch but writes only those the single-threaded loop would have.
    func drain(rank: Int, _ write: (RowBatch) throws -> Void) {
        var index = 0
        condition.lock()
        while true {
            while index >= published && !closed { condition.wait() }
            guard index < published else { break }
            let slot = slots[index % slots.count]
            let place = Place(batch: index, rank: rank)
            let wanted = failure.map { place < $0.place } ?? true
            condition.unlock()
            var thrown: (any Error)?
            if wanted {
                do { try write(slot.batch) } catch { thrown = error }
            }
            condition.lock()
            if let thrown { record(place, thrown) }
            slot.holders -= 1
            if slot.holders == 0 { condition.broadcast() }
            index += 1
        }
        condition.unlock()
    }

    /// Keeps the failure that comes first in the single-threaded order. Called with the lock held.
    private func record(_ place: Place, _ error: any Error) {
        if let failure, failure.place < place { return }
        failure = (place, error)
        condition.broadcast()
    }
}
