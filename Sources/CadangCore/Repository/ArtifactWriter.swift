import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A new file in a staged set, written through one reusable buffer and hashed as it goes, so a
/// sink never holds more than a buffer's worth of output and no file is read twice.
///
/// Writes never throw on the hot path: the first I/O error is kept and rethrown by `checkError()`
/// (sinks call it once per batch) and by the engine when it closes the artifact.
///
/// A sink whose library writes files by path (libxlsxwriter) lets the library write the whole file
/// at `fileURL` instead, then calls `recordFileWrittenByPath()`: the writer counts and hashes the
/// finished file. Bytes written both ways, or a file changed by path and not recorded, fail the
/// artifact when it is closed, so the manifest never records a size or SHA-256 the file lacks.
public final class ArtifactWriter {
    /// Path inside the set, e.g. `produk.csv`.
    public let path: String
    /// Dataset recorded in the manifest.
    public let dataset: String
    /// Format recorded in the manifest.
    public let format: String
    /// The plugin writing it, recorded in the manifest.
    public let plugin: String?
    let url: URL

    @usableFromInline let buffer: UnsafeMutablePointer<UInt8>
    /// Bytes used in `buffer`. Kept behind a pointer rather than in a stored `var`: the hot path
    /// then pays no dynamic exclusivity check per byte (measured: ~25% of CSV export time).
    @usableFromInline let used: UnsafeMutablePointer<Int>
    @usableFromInline let capacity: Int
    private var fd: Int32
    private let hasher = SHA256()
    private var written: Int64 = 0
    private var failure: CadangError?
    /// Set by `recordFileWrittenByPath()`: the file was written by path and is already hashed.
    private var recordedByPath = false

    init(url: URL, path: String, dataset: String, format: String, plugin: String? = nil, bufferSize: Int = 256 * 1024) throws {
        self.plugin = plugin
        self.url = url
        self.path = path
        self.dataset = dataset
        self.format = format
        fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CadangError.system("create", url.path, errno: errno) }
        capacity = bufferSize
        buffer = .allocate(capacity: bufferSize)
        used = .allocate(capacity: 1)
        used.initialize(to: 0)
    }

    deinit {
        buffer.deallocate()
        used.deallocate()
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Appends one byte.
    @inlinable public func write(_ byte: UInt8) {
        if used.pointee == capacity { drain() }
        buffer[used.pointee] = byte
        used.pointee &+= 1
    }

    /// Appends bytes.
    @inlinable public func write(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > capacity - used.pointee {
            drain()
            if bytes.count > capacity {
                writeThrough(bytes)
                return
            }
        }
        if let base = bytes.baseAddress {
            (UnsafeMutableRawPointer(buffer) + used.pointee).copyMemory(from: base, byteCount: bytes.count)
        }
        used.pointee &+= bytes.count
    }

    /// Appends bytes.
    @inlinable public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        write(UnsafeRawBufferPointer(bytes))
    }

    /// Appends the UTF-8 of a string.
    public func write(_ string: String) {
        var string = string
        string.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends an integer in decimal, without allocating.
    @inlinable public func write(decimal value: Int64) {
        if capacity - used.pointee < 21 { drain() }
        var magnitude = value.magnitude
        if value < 0 {
            buffer[used.pointee] = UInt8(ascii: "-")
            used.pointee &+= 1
        }
        // UInt64.max has 20 digits; 24 bytes of scratch hold any magnitude.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let written = withUnsafeMutableBytes(of: &digits) { scratch -> Int in
            var n = 0
            repeat {
                scratch[23 - n] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
                n &+= 1
            } while magnitude != 0
            (UnsafeMutableRawPointer(buffer) + used.pointee).copyMemory(from: scratch.baseAddress! + 24 - n, byteCount: n)
            return n
        }
        used.pointee &+= written
    }

    /// Rethrows the first write error, if any.
    public func checkError() throws {
        if let failure { throw failure }
    }

    /// Bytes written so far.
    public var bytesWritten: Int64 { written + Int64(used.pointee) }

    @usableFromInline func drain() {
        guard used.pointee > 0 else { return }
        let chunk = UnsafeRawBufferPointer(start: buffer, count: used.pointee)
        writeThrough(chunk)
        used.pointee = 0
    }

    @usableFromInline func writeThrough(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bytes)
        written += Int64(bytes.count)
        guard failure == nil else { return }
        do {
            try FileSystem.writeAll(fd, bytes, path: url.path)
        } catch let error as CadangError {
            failure = error
        } catch {
            failure = CadangError(.failure, "cannot write \(url.path): \(error)")
        }
    }

    /// Where the file is, for a library that writes it by path; see `recordFileWrittenByPath()`.
    /// The file exists (empty) from the start, created 0600 in the staged set.
    public var fileURL: URL { url }

    /// Records the file a library wrote at `fileURL` by path, once the library has closed it:
    /// reads it once to count and hash it, and makes it durable. Throws when bytes were also
    /// written through this writer, or when the file cannot be read.
    public func recordFileWrittenByPath() throws {
        guard bytesWritten == 0, !recordedByPath else {
            throw CadangError(.failure, "\(sinkName) wrote \(path) both through its ArtifactWriter and by path",
                              fix: "write the file one way: through the writer, or by path and then recordFileWrittenByPath() once")
        }
        let reader = open(url.path, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { throw CadangError.system("open", url.path, errno: errno) }
        defer { Glibc.close(reader) }
        while true {
            let count = read(reader, buffer, capacity)
            if count < 0 {
                if errno == EINTR { continue }
                throw CadangError.system("read", url.path, errno: errno)
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: count))
            written += Int64(count)
        }
        if fsync(reader) != 0 { throw CadangError.system("flush", url.path, errno: errno) }
        recordedByPath = true
    }

    private var sinkName: String { plugin.map { "sink '\($0)'" } ?? "a sink" }

    /// Flushes, fsyncs and closes; returns the manifest entry.
    func close(rows: Int?) throws -> Artifact {
        drain()
        try checkError()
        if !recordedByPath {
            if fsync(fd) != 0 { throw CadangError.system("flush", url.path, errno: errno) }
            try checkNothingWroteAround()
        }
        Glibc.close(fd)
        fd = -1
        let digest = hasher.finalizeHex()
        return Artifact(path: path, dataset: dataset, format: format, bytes: written, rows: rows, sha256: digest, plugin: plugin)
    }

    /// A library that wrote the file by path without `recordFileWrittenByPath()` would leave a
    /// manifest entry with another size and hash than the file's: refuse it here, where the sink
    /// author sees it first (the conformance kit runs real jobs).
    private func checkNothingWroteAround() throws {
        var opened = stat()
        var named = stat()
        guard fstat(fd, &opened) == 0 else { throw CadangError.system("inspect", url.path, errno: errno) }
        let replaced = stat(url.path, &named) != 0 || named.st_ino != opened.st_ino || named.st_dev != opened.st_dev
        guard replaced || Int64(opened.st_size) != written else { return }
        throw CadangError(.failure, "\(sinkName) wrote \(path) by path (\(replaced ? "a new file" : "\(opened.st_size) bytes on disk, \(written) through the writer")) without recording it",
                          fix: "call recordFileWrittenByPath() on its ArtifactWriter once the library has closed the file")
    }
}
