#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random-access bytes a splitter reads through its window: a file (read with `pread`, so the
/// splitter can look ahead and come back) or a buffer already in memory.
protocol PayloadByteSource: AnyObject {
    /// Names the input in messages: the path, or `request body`.
    var origin: String { get }
    /// Copies up to `buffer.count` bytes starting at `offset`; returns 0 at the end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(PayloadReadError) -> Int
}

/// A payload file, kept open for the splitter's life and never written to.
final class FilePayloadSource: PayloadByteSource {
    let origin: String
    private let descriptor: Int32

    /// Opens `path` read-only.
    init(path: String) throws(PayloadReadError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PayloadReadError(origin: path, reason: String(cString: strerror(errno))) }
        self.origin = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(PayloadReadError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = pread(descriptor, base, buffer.count, off_t(offset))
            if count >= 0 { return count }
            // A signal may interrupt a read on a slow device; that is not an error.
            if errno == EINTR { continue }
            throw PayloadReadError(origin: origin, reason: String(cString: strerror(errno)))
        }
    }
}

/// A payload already in memory, e.g. an HTTP request body.
final class BufferPayloadSource: PayloadByteSource {
    let origin: String
    private let bytes: [UInt8]

    /// Wraps `bytes`; `origin` names them in messages.
    init(bytes: [UInt8], origin: String = "request body") {
        self.bytes = bytes
        self.origin = origin
    }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(PayloadReadError) -> Int {
        guard offset < bytes.count, let target = buffer.baseAddress else { return 0 }
        let count = min(buffer.count, bytes.count - offset)
        return bytes.withUnsafeBytes { source in
            guard let start = source.baseAddress else { return 0 }
            target.copyMemory(from: start + offset, byteCount: count)
            return count
        }
    }
}
