/// Writes one table to every sink at once: the calling thread reads (and filters) batches into a
/// small `BatchRing`, and each sink's `TableWriter`, with its `ArtifactWriter` and that file's
/// SHA-256, runs on a thread of its own. A run of CSV and JSON thus keeps both cores busy where a
/// single thread would format every batch twice in turn; see Docs/performance.md.
///
/// The threads exist only inside `run`: it returns (or throws) once every writer has written every
/// batch and its thread has exited. `makeTableWriter` and `finish` stay on the caller's thread.
struct TableFanOut {
    /// One sink's writer with the artifact it fills. Only the thread `run` starts for it touches
    /// either while `run` runs; starting and joining that thread order those accesses with the
    /// caller's before and after.
    struct Output: @unchecked Sendable {
        /// Names the writer's thread, e.g. `json` in `cadang json`.
        var sink: String
        var writer: any TableWriter
        var artifact: ArtifactWriter
    }

    /// Batches in flight per table. Two would do for writers of equal speed; a little slack lets
    /// the reader run ahead of the slower writer for a moment without stalling the faster one,
    /// while memory stays at a few batches.
    static let depth = 4

    var outputs: [Output]
    var depth = TableFanOut.depth

    /// Calls `read` with an empty batch until it returns false (no rows after this batch) and has
    /// every writer write each non-empty batch, in order. Throws the error the single-threaded loop
    /// would have thrown (the read, or the first writer in sink order, of the earliest failing
    /// batch); a failure stops the reading before its next batch.
    func run(columnCount: Int, read: (inout RowBatch) throws -> Bool) throws {
        precondition(!outputs.isEmpty, "a table with no writer is not read")
        let ring = BatchRing(depth: depth, columnCount: columnCount, writers: outputs.count)
        var threads: [JoinableThread] = []
        // Also on the way out of a failed thread start: close the ring so the writers already
        // running return, then wait for them.
        defer {
            ring.close()
            for thread in threads { thread.join() }
        }
        for (rank, output) in outputs.enumerated() {
            threads.append(try JoinableThread(name: "cadang \(output.sink)") {
                ring.drain(rank: rank) { batch in
                    try output.writer.write(batch)
                    try output.artifact.checkError()
                }
            })
        }
        ring.produce(read)
        for thread in threads { thread.join() }
        if let error = ring.error { throw error }
    }
}
