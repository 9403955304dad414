import CadangCore
import CZstd

/// Compresses a byte stream into one zstd frame with libzstd, with the frame's content checksum
/// (XXH64) on.
///
/// libarchive's own zstd filter writes frames without that checksum, so a flipped byte that lands
/// in tar padding or in a pax record decodes cleanly and no reader can notice it. With the checksum,
/// `zstd -t`, GNU tar, Python and `verify --archive` (libzstd checks it while decoding) all refuse
/// any change to the frame. `threads` > 1 uses libzstd's own workers; the frame is the same format.
final class ZstdFrameStream {
    private let context: OpaquePointer

    init(level: Int, threads: Int) throws {
        guard let context = ZSTD_createCCtx() else { throw CadangError(.failure, "libzstd: out of memory") }
        self.context = context
        do {
            try set(ZSTD_c_compressionLevel, Int32(level), "level \(level)")
            try set(ZSTD_c_checksumFlag, 1, "the content checksum")
            if threads > 1 {
                // A libzstd built without threads refuses workers; the frame is the same either way.
                _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(threads))
            }
        } catch {
            ZSTD_freeCCtx(context)
            throw error
        }
    }

    deinit {
        ZSTD_freeCCtx(context)
    }

    /// Compresses `slot.input` into `slot.output`, growing the output when libzstd's workers hand
    /// over more than a slot's worth at once; `last` also ends the frame (checksum included).
    func compress(_ slot: ArchiveStream.Slot, last: Bool) throws {
        var input = ZSTD_inBuffer(src: slot.input, size: slot.count, pos: 0)
        let mode = last ? ZSTD_e_end : ZSTD_e_continue
        slot.outputCount = 0
        while true {
            if slot.outputCapacity - slot.outputCount < Self.minimumRoom { slot.growOutput() }
            var output = ZSTD_outBuffer(dst: slot.output, size: slot.outputCapacity, pos: slot.outputCount)
            let remaining = ZSTD_compressStream2(context, &output, &input, mode)
            if ZSTD_isError(remaining) != 0 {
                throw CadangError(.failure, "libzstd cannot compress: \(String(cString: ZSTD_getErrorName(remaining)))")
            }
            slot.outputCount = output.pos
            // `continue` is done once the input is taken; `end` once nothing is left to flush.
            if last ? remaining == 0 : input.pos == input.size { return }
        }
    }

    /// The output room for a slot of `capacity` bytes of input (libzstd's bound, plus one flush).
    static func outputCapacity(for capacity: Int) -> Int {
        ZSTD_compressBound(capacity) + minimumRoom
    }

    /// What libzstd may write in one step without more room (its recommended output size).
    private static let minimumRoom = ZSTD_CStreamOutSize()

    private func set(_ parameter: ZSTD_cParameter, _ value: Int32, _ what: String) throws {
        let code = ZSTD_CCtx_setParameter(context, parameter, value)
        if ZSTD_isError(code) != 0 {
            throw CadangError(.usage, "zstd \(what) is not supported: \(String(cString: ZSTD_getErrorName(code)))",
                              fix: "use a level from 1 to 19")
        }
    }
}
