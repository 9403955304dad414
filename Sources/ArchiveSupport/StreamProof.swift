import CadangCore
import CArchive
import Foundation

/// The checks of `verify --archive`, over an archive file or over one being written, from memory.
///
/// The stream is decoded to its very end, not just to the tar's end-of-archive marker: that is
/// where zstd keeps its content checksum and gzip its last trailer, and where trailing bytes would
/// hide. libarchive's tar reader alone stops at the marker.
enum StreamProof {
    /// What the bytes `next` yields are.
    enum Encoding {
        /// A tar stream (plain, or gzip members the writer already inflated and proved).
        case tar
        /// One or more zstd frames.
        case zstd
        /// gzip members (inflated with zlib, every trailer checked).
        case gzip
        /// Whatever a file holds: gzip, zstd or plain tar, told apart by their magic numbers.
        case detect
    }

    /// The encoding the first bytes of a file announce.
    private static func encoding(of first: UnsafeRawBufferPointer) -> Encoding {
        if first.starts(with: [0x1F, 0x8B]) { return .gzip }
        if first.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        return .tar
    }

    /// Hands libarchive the pieces a `next` function returns, keeping the first error it throws
    /// (a full drive, a failed member) so that it, not libarchive's generic complaint, is reported.
    private final class Pull {
        let next: () throws -> UnsafeRawBufferPointer?
        var error: (any Error)?
        var bytes: Int64 = 0
        /// The piece handed out last (valid until the next read).
        var last = UnsafeRawBufferPointer(start: nil, count: 0)

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
                    last = piece
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

    /// Reads the stream `next` yields to its very end, checking it entry by entry as
    /// `SetArchiveReader.check` does (writing the files into `folder` when given). Pieces after
    /// the tar's end-of-archive marker may hold only zeros (libarchive writes none), a compressed
    /// stream must decode to its last byte, and the decoded length is returned for the writer to
    /// compare with what libarchive produced.
    static func check(_ encoding: Encoding, extractingInto folder: URL? = nil,
                      next: @escaping () throws -> UnsafeRawBufferPointer?,
                      failure: @escaping (String) -> CadangError) throws -> ArchiveStream.Proof {
        var encoding = encoding
        var next = next
        if encoding == .detect {
            // The first piece is looked at, then handed on as the stream's first.
            var first = try next()
            if let piece = first { encoding = Self.encoding(of: piece) }
            let rest = next
            next = {
                if let piece = first {
                    first = nil
                    return piece
                }
                return try rest()
            }
        }
        let source = Pull(next)
        var decoder: OpaquePointer?
        defer { if let decoder { archive_read_free(decoder) } }
        // Where the tar reader's bytes come from: the source itself, or a decoder's output over it.
        var tarBytes: Pull = source
        if encoding == .gzip {
            let inflater = try GzipInflater(failure: failure)
            tarBytes = Pull { try inflater.next(from: next) }
        } else if encoding == .zstd {
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
            let contents = try SetArchiveReader.check(tar, extractingInto: folder, damaged: failure)
            // The tar reader stops at the end-of-archive marker; whatever the stream still holds
            // is decoded too (and, for gzip, proved and written) and may only be zeros: first the
            // rest of the piece the reader stopped in, then every piece after it.
            let unread = Int(tarBytes.bytes - archive_filter_bytes(tar, 0))
            guard unread >= 0, unread <= tarBytes.last.count else {
                throw failure("its tar reader stopped at byte \(archive_filter_bytes(tar, 0)) of \(tarBytes.bytes)")
            }
            var nonZero = tarBytes.last.suffix(unread).contains { $0 != 0 }
            var after = unread
            var pointer: UnsafeRawPointer?
            while true {
                let count = tarBytes.read(into: &pointer)
                if count < 0 { throw failure("its stream does not decode to its end") }
                if count == 0 { break }
                if let pointer, !nonZero { nonZero = UnsafeRawBufferPointer(start: pointer, count: count).contains { $0 != 0 } }
                after += count
            }
            guard !nonZero else { throw failure("\(after) bytes follow the end of its tar, not all zeros") }
            if encoding == .zstd {
                // libzstd has decoded every frame; the stream must hold nothing more. (zlib has
                // already refused anything after the last gzip member that is not one.)
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
