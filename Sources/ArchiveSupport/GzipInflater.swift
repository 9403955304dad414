import CadangCore
import CZlib

/// Inflates a gzip file — one member or many, as the writer's independent members are — with zlib,
/// checking every member's CRC-32 and size.
///
/// libarchive's gzip reader skips those trailers, so a flip that decodes cleanly into tar padding,
/// or one in a trailer itself, would pass; gzip(1) would refuse the same file. Memory is zlib's
/// state and one 1 MiB output piece, whatever the members' sizes.
final class GzipInflater {
    private var stream = z_stream()
    private let output: UnsafeMutableRawBufferPointer
    private let failure: (String) -> CadangError
    /// Whether a member has started and not yet ended.
    private var inMember = false
    private var members = 0

    init(failure: @escaping (String) -> CadangError) throws {
        self.failure = failure
        output = .allocate(byteCount: 1 << 20, alignment: 64)
        // 16 + 15: a gzip wrapper only (no zlib or raw deflate), the largest window.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            output.deallocate()
            throw CadangError(.failure, "zlib: out of memory")
        }
    }

    deinit {
        inflateEnd(&stream)
        output.deallocate()
    }

    /// The next inflated piece (valid until the next call), pulling compressed pieces from `source`
    /// as needed; nil once `source` ends right after a member's trailer.
    func next(from source: () throws -> UnsafeRawBufferPointer?) throws -> UnsafeRawBufferPointer? {
        while true {
            if stream.avail_in == 0 {
                guard let piece = try source() else {
                    guard !inMember else { throw failure("its gzip stream ends inside member \(members + 1)") }
                    guard members > 0 else { throw failure("it is empty") }
                    return nil
                }
                guard let base = piece.baseAddress, piece.count > 0 else { continue }
                // zlib only reads its input; the type is mutable for historical reasons.
                stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(piece.count)
            }
            if !inMember {
                // Whatever follows a member must be another whole member.
                guard inflateReset(&stream) == Z_OK else { throw failure("zlib cannot start gzip member \(members + 1)") }
                inMember = true
            }
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            let code = inflate(&stream, Z_NO_FLUSH)
            switch code {
            case Z_STREAM_END:
                inMember = false
                members += 1
            case Z_OK:
                break
            case Z_BUF_ERROR where stream.avail_in == 0:
                // It wants more input; the next round fetches it.
                break
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                throw failure("gzip member \(members + 1) is damaged (\(reason))")
            }
            let produced = output.count - Int(stream.avail_out)
            if produced > 0 { return UnsafeRawBufferPointer(rebasing: output[..<produced]) }
        }
    }
}
