import CPostgres

/// The connection a COPY FROM STDIN is open on, and what it is doing (for error messages):
/// where both COPY writers send their chunks.
struct PostgresCopyChannel {
    let connection: OpaquePointer
    let action: String

    /// What the writers send at once: large enough that the per-call cost vanishes, small enough
    /// that the server always has a socket buffer's worth to parse while the next chunk is
    /// written (1 MiB chunks left it idle and made a million-row COPY 30% slower).
    static let chunkSize = 1 << 16
    /// What a writer's buffer starts with: a chunk and the row that crosses it.
    static let bufferCapacity = chunkSize + 64 * 1024

    /// Sends `bytes` as COPY data (libpq queues what the socket does not take at once); a buffer
    /// over 1 GiB (a row of huge cells) in pieces, since a call's length is an Int32 and COPY
    /// data need not follow rows.
    func send(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count, let start = bytes.baseAddress {
            let length = min(1 << 30, bytes.count - offset)
            let sent = PQputCopyData(connection, (start + offset).assumingMemoryBound(to: CChar.self), Int32(length))
            guard sent == 1 else { throw PostgresError.from(result: nil, connection: connection, action: action) }
            offset += length
        }
    }
}
