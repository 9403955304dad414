import CPostgres

/// The connection a COPY FROM STDIN is open on, and what it is doing (for error messages):
/// where both COPY writers send their chunks.
struct PostgresCopyChannel {
    let connection: OpaquePointer
    let action: String

    /// Sends `bytes` as COPY data (libpq queues what the socket does not take at once).
    func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        let sent = PQputCopyData(connection, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        guard sent == 1 else { throw PostgresError.from(result: nil, connection: connection, action: action) }
    }
}
