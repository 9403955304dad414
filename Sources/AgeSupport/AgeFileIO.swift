import Foundation

/// Read size for the file helpers: several chunks per system call, one reused buffer.
private let ioBlockSize = 1 << 20

/// Streams `input` through `body` in blocks from one reused buffer.
private func forEachBlock(of input: PosixFile, size: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    defer { block.deallocate() }
    while true {
        let n = try input.read(into: block)
        if n == 0 { return }
        guard try body(UnsafeRawBufferPointer(rebasing: block[..<n])) else { return }
    }
}

/// Coalesces the 64 KiB chunk writes into large write(2) calls from one reused buffer.
private final class BufferedOutput {
    private let file: PosixFile
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ioBlockSize, alignment: 16)
    private var filled = 0

    init(_ file: PosixFile) { self.file = file }
    deinit { buffer.deallocate() }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if filled + bytes.count > buffer.count { try flush() }
        if bytes.count >= buffer.count { return try file.writeAll(bytes) }
        if let src = bytes.baseAddress, let dst = buffer.baseAddress {
            (dst + filled).copyMemory(from: src, byteCount: bytes.count)
        }
        filled += bytes.count
    }

    func flush() throws {
        try file.writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<filled]))
        filled = 0
    }
}

/// Writes to `<to>.partial` (0600, O_EXCL) and renames it into place only on success; never leaves it behind.
private func writeAtomically(to url: URL, _ produce: (BufferedOutput) throws -> Void) throws {
    let partial = url.path + ".partial"
    let out = try PosixFile.createExclusive(partial)
    do {
        let buffered = BufferedOutput(out)
        try produce(buffered)
        try buffered.flush()
        try out.sync()
        out.close()
        guard rename(partial, url.path) == 0 else {
            throw AgeError.io("cannot rename \(partial): \(PosixFile.errnoString())")
        }
    } catch {
        out.close()
        unlink(partial)
        throw error
    }
}

extension AgeDecryptor {
    /// Decrypts `file` to `to`, publishing the output only after the final chunk authenticated.
    public static func decrypt(file: URL, to: URL, identities: [AgeIdentity],
                               passphrase: (() throws -> String)? = nil, maxWorkFactor: Int = 22) throws {
        let input = try PosixFile.openForReading(file.path)
        defer { input.close() }
        try writeAtomically(to: to) { out in
            let decryptor = AgeDecryptor(identities: identities, passphrase: passphrase, maxWorkFactor: maxWorkFactor)
            try forEachBlock(of: input, size: ioBlockSize) { block in
                try decryptor.write(block) { try out.write($0) }
                return true
            }
            try decryptor.finish { try out.write($0) }
        }
    }

    /// Whether one of `identities` opens the header of the age file at `url` (reads only the header).
    public static func canOpenHeader(of url: URL, identities: [AgeIdentity]) throws -> Bool {
        let input = try PosixFile.openForReading(url.path)
        defer { input.close() }
        let decryptor = AgeDecryptor(identities: identities)
        do {
            // Small reads: the header is short, and payload chunks are never opened here.
            try forEachBlock(of: input, size: 4096) { block in
                try decryptor.write(block) { _ in }
                return !decryptor.headerComplete
            }
        } catch AgeError.noMatchingIdentity {
            return false
        }
        guard decryptor.headerComplete else {
            throw AgeError.headerFailure("file ends inside the header")
        }
        return decryptor.headerOpened
    }
}

extension AgeEncryptor {
    /// Encrypts `file` to `to` for `recipients`, publishing the output only when complete.
    public static func encrypt(file: URL, to: URL, recipients: [AgeRecipient]) throws {
        let input = try PosixFile.openForReading(file.path)
        defer { input.close() }
        try writeAtomically(to: to) { out in
            let encryptor = try AgeEncryptor(recipients: recipients) { try out.write($0) }
            try forEachBlock(of: input, size: ioBlockSize) { block in
                try encryptor.write(block)
                return true
            }
            try encryptor.finish()
        }
    }
}
