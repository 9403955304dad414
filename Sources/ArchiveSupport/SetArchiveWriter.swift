import CadangCore
import CArchive
import Foundation

/// Writes one tar archive (pax, through libarchive) of a set's files, compressed as asked (see
/// `ArchiveStream`), into a new file, and proves it before `finish` returns:
///
/// 1. while writing, the compressed stream is decoded again in memory and checked as
///    `verify --archive` checks a file (every gzip member inflated and compared with its input;
///    then the manifest first, exactly its files, each with its size and SHA-256) — see
///    `ArchiveStream`;
/// 2. after fsync, the file's pages are dropped from the page cache and the file is read back from
///    the drive; its SHA-256 must be the one computed over the bytes that were written.
///
/// Memory is bounded: files are streamed in 1 MiB pieces through a fixed number of slots.
public final class SetArchiveWriter {
    /// A proved archive.
    public struct Finished: Sendable {
        /// The file's SHA-256 (hex), computed while writing and found again on the drive.
        public var sha256: String
        /// The file's size.
        public var bytes: Int64
        /// The manifest inside it, as decoded from the compressed stream and checked.
        public var manifest: Manifest
        /// Seconds spent streaming (framing, compressing, writing, proving), in fsync, and re-reading.
        public var streamed: Double, synced: Double, reread: Double
        /// Pages still cached when the file was re-read, out of `pages` (0: all read from the drive).
        public var cachedPages: Int, pages: Int
    }

    private let archive: OpaquePointer
    private let output: ArchiveOutput
    /// Counts the bytes of the files added.
    public var progress: ProgressStep?
    private let stream: ArchiveStream
    private let url: URL
    private let fault: ArchiveFault?
    private let started = Date()
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var closed = false
    /// The error the stream gave libarchive's write callback, reported instead of libarchive's.
    private var streamError: (any Error)?
    /// `inputByte`: the first piece of file data read gets a flipped byte.
    private lazy var inputFaultPending = fault == .inputByte

    /// Creates `url` (it must not exist) and starts the archive, encrypted to `recipients` if given.
    public init(creating url: URL, compression: ArchiveCompression, level: Int, threads: Int,
                recipients: ArchiveRecipients? = nil) throws {
        self.url = url
        fault = ArchiveFault.current
        output = try ArchiveOutput(creating: url, recipients: recipients)
        stream = try ArchiveStream(output: output, compression: compression, level: level, threads: threads, fault: fault) { reason in
            CadangError(.damaged, "archive \(url.path) failed its check while it was written: \(reason); it did not get its final name",
                        fix: "run 'cadang verify' on the set and run again; if it happens again, test the computer's memory (e.g. memtest86+)")
        }
        guard let archive = archive_write_new() else {
            stream.abandon()
            throw CadangError(.failure, "libarchive: out of memory")
        }
        self.archive = archive
        do {
            try check(archive_write_set_format_pax_restricted(archive), "choose the pax format for")
            // libarchive pads the last output block with zeros by default; after a compressor that
            // is trailing garbage (zstd -t refuses it). tar's own end-of-archive blocks stay.
            try check(archive_write_set_bytes_in_last_block(archive, 1), "set the block size of")
            let context = Unmanaged.passUnretained(self).toOpaque()
            try check(archive_write_open2(archive, context, nil, { _, context, data, length in
                guard let context, let data else { return -1 }
                let writer = Unmanaged<SetArchiveWriter>.fromOpaque(context).takeUnretainedValue()
                return writer.take(UnsafeRawBufferPointer(start: data, count: length)) ? la_ssize_t(length) : -1
            }, nil, nil), "start")
        } catch {
            stream.abandon()
            archive_write_free(archive)
            closed = true
            throw error
        }
    }

    deinit {
        // The stream first, so that libarchive's last writes fail at once instead of being proved.
        stream.abandon()
        if !closed { archive_write_free(archive) }
    }

    /// libarchive's output, into the stream.
    private func take(_ bytes: UnsafeRawBufferPointer) -> Bool {
        do {
            try stream.write(bytes)
            return true
        } catch {
            if streamError == nil { streamError = error }
            return false
        }
    }

    /// Adds a file as `name`, with its size known up front (tar writes it before the data).
    public func add(file: URL, as name: String, size: Int64, modified: Date) throws {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CadangError.system("open", file.path, errno: errno) }
        defer { close(fd) }
        try header(name, size: size, modified: modified)
        var remaining = size
        while remaining > 0 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, min($0.count, Int(remaining))) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw CadangError(.failure, "\(file.path) changed while it was archived (ended \(remaining) bytes early)",
                                  fix: "run 'cadang verify' on the set")
            }
            if inputFaultPending {
                inputFaultPending = false
                buffer[count / 2] ^= 0x5A
            }
            try data(count)
            remaining -= Int64(count)
            progress?.advance(by: Int64(count))
        }
    }

    /// Adds `bytes` as `name`.
    public func add(bytes: [UInt8], as name: String, modified: Date) throws {
        try header(name, size: Int64(bytes.count), modified: modified)
        var offset = 0
        while offset < bytes.count {
            let count = min(buffer.count, bytes.count - offset)
            buffer.withUnsafeMutableBytes { target in
                bytes.withUnsafeBytes { target.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
            }
            try data(count)
            offset += count
        }
    }

    /// Ends the archive, waits for the in-memory proof, flushes the file to the drive and re-reads
    /// it from there (see the type's comment). Throws unless all of it holds.
    public func finish() throws -> Finished {
        closed = true
        let code = archive_write_close(archive)
        let message = code == ARCHIVE_OK ? nil : errorText()
        // The tar bytes libarchive produced (filter 0 is the one the pax writer feeds).
        let produced = archive_filter_bytes(archive, 0)
        archive_write_free(archive)
        if let streamError { throw streamError }
        if let message { throw CadangError(.failure, "cannot finish \(url.path): \(message)") }
        let proof = try stream.finish()
        guard proof.tarBytes == produced else {
            throw CadangError(.damaged, "archive \(url.path) decodes to \(proof.tarBytes) bytes of tar, not the \(produced) written; it did not get its final name",
                              fix: "run again; if it happens again, test the computer's memory (e.g. memtest86+)")
        }
        let streamed = Date()
        let (sha256, bytes) = try output.finish()
        let synced = Date()
        let reread = try output.reread(expecting: sha256, fault: fault)
        let done = Date()
        return Finished(sha256: sha256, bytes: bytes, manifest: proof.contents.manifest,
                        streamed: streamed.timeIntervalSince(started), synced: synced.timeIntervalSince(streamed),
                        reread: done.timeIntervalSince(synced), cachedPages: reread.cachedPages, pages: reread.pages)
    }

    private func header(_ name: String, size: Int64, modified: Date) throws {
        guard let entry = archive_entry_new() else { throw CadangError(.failure, "libarchive: out of memory") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_filetype(entry, EntryType.regular)
        archive_entry_set_perm(entry, 0o600)
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, time_t(modified.timeIntervalSince1970.rounded(.down)), 0)
        try check(archive_write_header(archive, entry), "write the header of \(name) into")
    }

    private func data(_ count: Int) throws {
        let written = buffer.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, count) }
        guard written == count else {
            if let streamError { throw streamError }
            throw CadangError(.failure, "cannot write \(url.path): \(errorText())")
        }
    }

    private func check(_ code: Int32, _ action: String) throws {
        guard code != ARCHIVE_OK else { return }
        if let streamError { throw streamError }
        guard code == ARCHIVE_WARN else { throw CadangError(.failure, "cannot \(action) \(url.path): \(errorText())") }
    }

    private func errorText() -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error"
    }
}
