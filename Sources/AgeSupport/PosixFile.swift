import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal file descriptor wrapper: the file helpers need O_EXCL, 0600 and unbuffered large reads.
struct PosixFile {
    let fd: Int32
    let path: String

    static func openForReading(_ path: String) throws -> PosixFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AgeError.io("cannot open \(path): \(Self.errnoString())") }
        return PosixFile(fd: fd, path: path)
    }

    /// Creates a new file readable only by the owner; fails if it exists.
    static func createExclusive(_ path: String) throws -> PosixFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AgeError.io("cannot create \(path): \(Self.errnoString())") }
        return PosixFile(fd: fd, path: path)
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw AgeError.io("cannot read \(path): \(Self.errnoString())")
        }
    }

    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let n = Foundation.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw AgeError.io("cannot write \(path): \(Self.errnoString())")
            }
            offset += n
        }
    }

    func sync() throws {
        guard fsync(fd) == 0 else { throw AgeError.io("cannot sync \(path): \(Self.errnoString())") }
    }

    func close() {
        _ = Foundation.close(fd)
    }

    static func errnoString() -> String { String(cString: strerror(errno)) }
}
