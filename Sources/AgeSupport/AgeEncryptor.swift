/// Streaming age encryptor: writes the header at once, then 64 KiB STREAM chunks as data arrives.
public final class AgeEncryptor {
    private let output: (UnsafeRawBufferPointer) throws -> Void
    private var stream: PayloadStream
    private let buffer: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var finished = false

    /// Encrypts to X25519 recipients; the header is written to `output` before this returns.
    public convenience init(recipients: [AgeRecipient], output: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !recipients.isEmpty else { throw AgeError.usage("at least one recipient is required") }
        let fileKey = StanzaCrypto.randomBytes(StanzaCrypto.fileKeySize)
        let stanzas = try recipients.map { try X25519Stanza.wrap(fileKey: fileKey, to: $0) }
        try self.init(fileKey: fileKey, stanzas: stanzas, output: output)
    }

    /// Encrypts with a passphrase (a single scrypt stanza of work factor log2 N).
    public convenience init(passphrase: String, workFactor: Int = 18, output: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        let fileKey = StanzaCrypto.randomBytes(StanzaCrypto.fileKeySize)
        let stanza = try ScryptStanza.wrap(fileKey: fileKey, passphrase: passphrase, workFactor: workFactor)
        try self.init(fileKey: fileKey, stanzas: [stanza], output: output)
    }

    private init(fileKey: [UInt8], stanzas: [AgeStanza], output: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.output = output
        let nonce = StanzaCrypto.randomBytes(PayloadStream.nonceSize)
        stream = PayloadStream(fileKey: fileKey, nonce: nonce)
        buffer = .allocate(byteCount: PayloadStream.chunkSize, alignment: 16)
        let header = AgeHeader.encode(stanzas, fileKey: fileKey) + nonce
        try header.withUnsafeBytes { try output($0) }
    }

    deinit { buffer.deallocate() }

    /// Adds plaintext of any size; full chunks are sealed once it is known more data follows them.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { throw AgeError.usage("write after finish or after a failed write") }
        // After a failed output the stream has a gap; refuse to go on rather than emit a broken file.
        finished = true
        try append(bytes)
        finished = false
    }

    private func append(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            if filled == PayloadStream.chunkSize {
                try stream.seal(UnsafeRawBufferPointer(buffer), last: false, output: output)
                filled = 0
            }
            // Whole chunks straight from the caller's buffer, when more input follows them: no copy.
            if filled == 0 && rest.count > PayloadStream.chunkSize {
                try stream.seal(UnsafeRawBufferPointer(rebasing: rest[..<PayloadStream.chunkSize]), last: false, output: output)
                rest = UnsafeRawBufferPointer(rebasing: rest[PayloadStream.chunkSize...])
                continue
            }
            let n = min(PayloadStream.chunkSize - filled, rest.count)
            if let src = rest.baseAddress, let dst = buffer.baseAddress {
                (dst + filled).copyMemory(from: src, byteCount: n)
            }
            filled += n
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    /// Seals the final chunk (possibly short or, for an empty payload, empty).
    public func finish() throws {
        guard !finished else { throw AgeError.usage("finish after finish or after a failed write") }
        finished = true
        try stream.seal(UnsafeRawBufferPointer(rebasing: buffer[..<filled]), last: true, output: output)
        filled = 0
    }
}
