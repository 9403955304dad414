import CadangCore
import CArchive
import Foundation

/// Writes one tar archive (pax, through libarchive) of a set's files, compressed as asked, into a
/// new file. Memory is bounded: files are streamed in 1 MiB pieces.
public final class SetArchiveWriter {
    private let archive: OpaquePointer
    private let output: ArchiveOutput
    private let sink: Sink
    private let url: URL
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var closed = false

    /// Where libarchive's output goes: straight to the file, or through the gzip member stream.
    final class Sink {
        let output: ArchiveOutput
        let gzip: GzipMemberStream?
        var error: (any Error)?

        init(output: ArchiveOutput, gzip: GzipMemberStream?) {
            self.output = output
            self.gzip = gzip
        }

        func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
            do {
                if let gzip { try gzip.write(bytes) } else { try output.write(bytes) }
                return true
            } catch {
                self.error = error
                return false
            }
        }
    }

    /// Creates `url` (it must not exist) and starts the archive.
    public init(creating url: URL, compression: ArchiveCompression, level: Int, threads: Int) throws {
        self.url = url
        output = try ArchiveOutput(creating: url)
        sink = Sink(output: output, gzip: compression == .gzip ? try GzipMemberStream(output: output, level: level, threads: threads) : nil)
        guard let archive = archive_write_new() else { throw CadangError(.failure, "libarchive: out of memory") }
        self.archive = archive
        do {
            try check(archive_write_set_format_pax_restricted(archive), "choose the pax format for")
            // libarchive pads the last output block with zeros by default; after a compressor that
            // is trailing garbage (zstd -t refuses it). tar's own end-of-archive blocks stay.
            try check(archive_write_set_bytes_in_last_block(archive, 1), "set the block size of")
            if compression == .zstd {
                try check(archive_write_add_filter_zstd(archive), "add zstd compression to")
                try check(archive_write_set_filter_option(archive, "zstd", "compression-level", "\(level)"), "set zstd level \(level) for")
                if threads > 1 {
                    // Older libarchive builds lack the option; the archive is the same either way.
                    _ = archive_write_set_filter_option(archive, "zstd", "threads", "\(threads)")
                }
            }
            let context = Unmanaged.passUnretained(sink).toOpaque()
            try check(archive_write_open2(archive, context, nil, { _, context, data, length in
                guard let context, let data else { return -1 }
                let sink = Unmanaged<SetArchiveWriter.Sink>.fromOpaque(context).takeUnretainedValue()
                return sink.write(UnsafeRawBufferPointer(start: data, count: length)) ? la_ssize_t(length) : -1
            }, nil, nil), "start")
        } catch {
            archive_write_free(archive)
            throw error
        }
    }

    deinit {
        if !closed { archive_write_free(archive) }
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
            try data(count)
            remaining -= Int64(count)
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

    /// Ends the archive and flushes it to the disk; returns its SHA-256 (hex) and size.
    public func finish() throws -> (sha256: String, bytes: Int64) {
        closed = true
        let code = archive_write_close(archive)
        let message = code == ARCHIVE_OK ? nil : errorText()
        archive_write_free(archive)
        if let error = sink.error { throw error }
        if let message { throw CadangError(.failure, "cannot finish \(url.path): \(message)") }
        try sink.gzip?.finish()
        return try output.finish()
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
            if let error = sink.error { throw error }
            throw CadangError(.failure, "cannot write \(url.path): \(errorText())")
        }
    }

    private func check(_ code: Int32, _ action: String) throws {
        guard code != ARCHIVE_OK else { return }
        if let error = sink.error { throw error }
        guard code == ARCHIVE_WARN else { throw CadangError(.failure, "cannot \(action) \(url.path): \(errorText())") }
    }

    private func errorText() -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error"
    }
}
