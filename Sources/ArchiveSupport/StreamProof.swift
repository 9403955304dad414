import CadangCore
import CArchive

/// The checks of `verify --archive`, run over an archive while it is written, from memory.
enum StreamProof {
    /// Hands libarchive the pieces a `next` function returns, keeping the first error it throws
    /// (a full drive, a failed member) so that it, not libarchive's generic complaint, is reported.
    private final class Pull {
        let next: () throws -> UnsafeRawBufferPointer?
        var error: (any Error)?
        var bytes: Int64 = 0

        init(_ next: @escaping () throws -> UnsafeRawBufferPointer?) {
            self.next = next
        }

        func read(into pointer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
            do {
                // libarchive takes 0 bytes for the end, so empty pieces are skipped.
                while let piece = try next() {
                    guard piece.count > 0 else { continue }
                    pointer?.pointee = piece.baseAddress
                    bytes += Int64(piece.count)
                    return piece.count
                }
                return 0
            } catch {
                if self.error == nil { self.error = error }
                return -1
            }
        }

        /// Opens `archive` on this pull.
        func open(_ archive: OpaquePointer) -> Int32 {
            archive_read_open(archive, Unmanaged.passUnretained(self).toOpaque(), nil, { _, context, buffer in
                guard let context else { return -1 }
                return la_ssize_t(Unmanaged<Pull>.fromOpaque(context).takeUnretainedValue().read(into: buffer))
            }, nil)
        }
    }

    /// Reads the stream `next` yields (the decoded tar for gzip and none, the zstd stream for
    /// zstd) to its very end, checking it as `SetArchiveReader.read` checks a file. Pieces after
    /// the tar's end-of-archive marker may hold only zeros (libarchive writes none), a zstd stream
    /// must decode to its last byte, and the decoded length is returned for the writer to compare
    /// with what libarchive produced.
    static func check(compression: ArchiveCompression, next: @escaping () throws -> UnsafeRawBufferPointer?,
                      failure: @escaping (String) -> CadangError) throws -> ArchiveStream.Proof {
        let source = Pull(next)
        var decoder: OpaquePointer?
        defer { if let decoder { archive_read_free(decoder) } }
        // Where the tar reader's bytes come from: the source itself, or libzstd's output over it.
        var tarBytes: Pull = source
        if compression == .zstd {
            guard let raw = archive_read_new() else { throw CadangError(.failure, "libarchive: out of memory") }
            decoder = raw
            archive_read_support_filter_zstd(raw)
            archive_read_support_format_raw(raw)
            var entry: OpaquePointer?
            guard source.open(raw) == ARCHIVE_OK, archive_read_next_header(raw, &entry) == ARCHIVE_OK else {
                throw source.error ?? failure("its zstd stream does not decode: \(SetArchiveReader.errorText(raw))")
            }
            var position: Int64 = 0
            tarBytes = Pull {
                var block: UnsafeRawPointer?
                var size = 0
                var offset: la_int64_t = 0
                let code = archive_read_data_block(raw, &block, &size, &offset)
                if code == ARCHIVE_EOF { return nil }
                guard code == ARCHIVE_OK || code == ARCHIVE_WARN, offset == position else {
                    throw source.error ?? failure("its zstd stream does not decode: \(SetArchiveReader.errorText(raw))")
                }
                position += Int64(size)
                return UnsafeRawBufferPointer(start: block, count: size)
            }
        }

        guard let tar = archive_read_new() else { throw CadangError(.failure, "libarchive: out of memory") }
        defer { archive_read_free(tar) }
        archive_read_support_filter_none(tar)
        archive_read_support_format_tar(tar)
        do {
            guard tarBytes.open(tar) == ARCHIVE_OK else { throw failure(SetArchiveReader.errorText(tar)) }
            let contents = try SetArchiveReader.check(tar, damaged: failure)
            // The tar reader stops at the end-of-archive marker; whatever the stream still holds
            // is decoded too (and, for gzip, proved and written) and may only be zeros.
            var pointer: UnsafeRawPointer?
            var after = 0
            var nonZero = false
            while true {
                let count = tarBytes.read(into: &pointer)
                if count < 0 { throw failure("its stream does not decode to its end") }
                if count == 0 { break }
                if let pointer, !nonZero { nonZero = UnsafeRawBufferPointer(start: pointer, count: count).contains { $0 != 0 } }
                after += count
            }
            guard !nonZero else { throw failure("\(after) bytes follow the end of its tar, not all zeros") }
            if compression == .zstd {
                // libzstd has decoded every frame; the compressed stream must hold nothing more.
                var trailing = 0
                while true {
                    let count = source.read(into: &pointer)
                    if count <= 0 { break }
                    trailing += count
                }
                guard trailing == 0 else { throw failure("\(trailing) bytes follow the end of its zstd stream") }
            }
            if let error = source.error ?? tarBytes.error { throw error }
            return ArchiveStream.Proof(contents: contents, tarBytes: tarBytes.bytes)
        } catch {
            throw source.error ?? tarBytes.error ?? error
        }
    }
}
