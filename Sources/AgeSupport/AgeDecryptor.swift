/// Streaming age decryptor: parses the header once enough bytes arrived, then hands out plaintext
/// chunk by chunk, only after each chunk authenticated.
public final class AgeDecryptor {
    private enum State { case header, nonce, payload, done }

    private let identities: [AgeIdentity]
    private let passphrase: (() throws -> String)?
    private let maxWorkFactor: Int
    private var state = State.header
    private var failure: (any Error)?
    private var headerBytes: [UInt8] = []
    private var lineStart = 0
    private var nonce: [UInt8] = []
    private var fileKey: [UInt8] = []
    private var stream: PayloadStream?
    private let buffer: UnsafeMutableRawBufferPointer
    private var filled = 0

    /// True once the header was parsed, a file key recovered and the header MAC verified.
    public private(set) var headerOpened = false

    /// `passphrase` is asked only if the file has an scrypt stanza; `maxWorkFactor` caps its log2 N.
    public init(identities: [AgeIdentity], passphrase: (() throws -> String)? = nil, maxWorkFactor: Int = 22) {
        self.identities = identities
        self.passphrase = passphrase
        self.maxWorkFactor = maxWorkFactor
        buffer = .allocate(byteCount: PayloadStream.sealedChunkSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Feeds ciphertext of any size; `plaintext` receives each chunk that authenticated.
    public func write(_ ciphertext: UnsafeRawBufferPointer, plaintext: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let failure { throw failure }
        do {
            guard state != .done else {
                if ciphertext.isEmpty { return }
                throw AgeError.trailingData
            }
            var rest = ciphertext
            if state == .header { rest = try consumeHeader(rest) }
            if state == .nonce { rest = try consumeNonce(rest) }
            if state == .payload { try consumePayload(rest, plaintext: plaintext) }
        } catch {
            failure = error
            throw error
        }
    }

    /// Ends the input: opens the final chunk; fails if the file is truncated or has trailing data.
    public func finish(plaintext: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let failure { throw failure }
        do {
            try finishInput(plaintext: plaintext)
            state = .done
        } catch {
            failure = error
            throw error
        }
    }

    /// Whether the header is complete (parsed and opened); further input is payload.
    var headerComplete: Bool { state != .header }

    // MARK: - Header

    private func consumeHeader(_ input: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer {
        var rest = input
        let intro = AgeHeader.intro
        while !rest.isEmpty {
            let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
            let take = newline.map { $0 - rest.startIndex + 1 } ?? rest.count
            headerBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<(rest.startIndex + take)]))
            rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + take)...])
            if headerBytes.count > AgeHeader.maxSize { throw AgeError.headerFailure("header is too large") }
            if lineStart == 0 {
                // Reject non-age input early instead of buffering it.
                let n = min(headerBytes.count, intro.count)
                guard headerBytes[..<n].elementsEqual(intro[..<n]) else {
                    throw AgeError.headerFailure("not an age v1 file (bad or unsupported version line)")
                }
            }
            guard newline != nil else { break }
            if lineStart > 0 && headerBytes[lineStart...].starts(with: AgeHeader.footerPrefix) {
                let header = try AgeHeader.parse(headerBytes)
                try openHeader(header)
                headerBytes = []
                state = .nonce
                return rest
            }
            lineStart = headerBytes.count
        }
        return rest
    }

    private func openHeader(_ header: AgeHeader) throws {
        guard !header.stanzas.isEmpty else { throw AgeError.headerFailure("header has no recipients") }
        var found: [UInt8]?
        search: for identity in identities {
            for stanza in header.stanzas {
                if let key = try X25519Stanza.unwrap(stanza, with: identity) {
                    found = key
                    break search
                }
            }
        }
        var triedPassphrase = false
        if found == nil, let passphrase,
           let scrypt = header.stanzas.first(where: { $0.type == ScryptStanza.type }) {
            // A passphrase file has exactly one recipient; anything else could be a downgrade/oracle trick.
            guard header.stanzas.count == 1 else {
                throw AgeError.headerFailure("an scrypt stanza must be the only stanza")
            }
            // Check the work factor before prompting, so a hostile file fails fast.
            _ = try ScryptStanza.parameters(scrypt, maxWorkFactor: maxWorkFactor)
            let secret = try passphrase()
            found = try ScryptStanza.unwrap(scrypt, passphrase: secret, maxWorkFactor: maxWorkFactor)
            triedPassphrase = true
        }
        guard let key = found else {
            throw triedPassphrase ? AgeError.wrongPassphrase : AgeError.noMatchingIdentity
        }
        guard header.verifyMAC(fileKey: key) else { throw AgeError.hmacFailure }
        fileKey = key
        headerOpened = true
    }

    private func consumeNonce(_ input: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer {
        let n = min(PayloadStream.nonceSize - nonce.count, input.count)
        nonce.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[..<(input.startIndex + n)]))
        if nonce.count == PayloadStream.nonceSize {
            stream = PayloadStream(fileKey: fileKey, nonce: nonce)
            state = .payload
        }
        return UnsafeRawBufferPointer(rebasing: input[(input.startIndex + n)...])
    }

    // MARK: - Payload

    private func consumePayload(_ input: UnsafeRawBufferPointer, plaintext: (UnsafeRawBufferPointer) throws -> Void) throws {
        let size = PayloadStream.sealedChunkSize
        var rest = input
        while !rest.isEmpty {
            // A full buffered chunk is known not to be the end only once more bytes arrive.
            if filled == size {
                try openInnerChunk(UnsafeRawBufferPointer(buffer), plaintext: plaintext)
                filled = 0
            }
            if filled == 0 && rest.count > size {
                try openInnerChunk(UnsafeRawBufferPointer(rebasing: rest[..<(rest.startIndex + size)]), plaintext: plaintext)
                rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + size)...])
                continue
            }
            let n = min(size - filled, rest.count)
            if let src = rest.baseAddress, let dst = buffer.baseAddress {
                (dst + filled).copyMemory(from: src, byteCount: n)
            }
            filled += n
            rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + n)...])
        }
    }

    /// A full chunk followed by more data: it must authenticate as a non-final chunk.
    private func openInnerChunk(_ sealed: UnsafeRawBufferPointer, plaintext: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard var s = stream else { throw AgeError.usage("payload before header") }
        defer { stream = s }
        if try s.open(sealed, last: false, plaintext: plaintext) { return }
        // A full final chunk with bytes after it is trailing data, not tampering.
        if try s.open(sealed, last: true, plaintext: { _ in }) { throw AgeError.trailingData }
        throw AgeError.payloadFailure("chunk \(s.counter) does not authenticate")
    }

    private func finishInput(plaintext: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch state {
        case .header:
            throw AgeError.headerFailure(headerBytes.isEmpty ? "empty file" : "file ends inside the header")
        case .nonce:
            throw AgeError.headerFailure("file ends before the payload nonce")
        case .done:
            throw AgeError.usage("finish called twice")
        case .payload:
            guard var s = stream else { throw AgeError.usage("payload before header") }
            defer { stream = s }
            let sealed = UnsafeRawBufferPointer(rebasing: buffer[..<filled])
            if filled == 0 { throw AgeError.truncated }
            if filled < PayloadStream.tagSize { throw AgeError.payloadFailure("final chunk is too short") }
            if filled == PayloadStream.tagSize && s.counter > 0 {
                throw AgeError.payloadFailure("final chunk is empty")
            }
            if try s.open(sealed, last: true, plaintext: plaintext) { return }
            if filled == PayloadStream.sealedChunkSize, try s.open(sealed, last: false, plaintext: { _ in }) {
                throw AgeError.truncated
            }
            throw AgeError.payloadFailure("final chunk does not authenticate")
        }
    }
}
