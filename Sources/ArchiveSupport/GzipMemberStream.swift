import CadangCore
import CDeflate
import Dispatch
import Foundation

/// Compresses a byte stream as a series of independent gzip members with libdeflate, and proves
/// each member by inflating it again.
///
/// The stream is cut into blocks of `blockSize` bytes; each becomes one complete gzip member
/// (header, deflate data, CRC-32, size). Concatenated members are one valid gzip file (RFC 1952
/// §2.2) that `gzip -d`, zlib, GNU tar and Python read as usual. Independent members let `threads`
/// blocks be compressed at once, each on its own queue with its own compressor.
final class GzipMemberStream: @unchecked Sendable {
    /// Input per member: large enough that the lost 32 KiB of history at each cut costs nothing
    /// measurable, small enough to keep memory flat.
    static let blockSize = 2 << 20

    /// One libdeflate compressor; only its own queue touches it.
    private struct Compressor: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    let threads: Int
    /// The room a member may need (libdeflate's bound for a full block).
    let outputCapacity: Int
    private let compressors: [Compressor]
    private let queues: [DispatchQueue]
    /// The proving side's inflater and its output; only the proving thread touches them.
    private let decompressor: OpaquePointer
    private let inflated: UnsafeMutableRawPointer

    init(level: Int, threads: Int) throws {
        self.threads = max(1, threads)
        var compressors: [Compressor] = []
        for _ in 0..<self.threads {
            guard let compressor = libdeflate_alloc_compressor(Int32(level)) else {
                compressors.forEach { libdeflate_free_compressor($0.pointer) }
                throw CadangError(.usage, "gzip level \(level) is not supported", fix: "use a level from 1 to 12")
            }
            compressors.append(Compressor(pointer: compressor))
        }
        guard let decompressor = libdeflate_alloc_decompressor() else {
            compressors.forEach { libdeflate_free_compressor($0.pointer) }
            throw CadangError(.failure, "libdeflate: out of memory")
        }
        self.compressors = compressors
        self.decompressor = decompressor
        outputCapacity = libdeflate_gzip_compress_bound(compressors[0].pointer, Self.blockSize)
        queues = (0..<self.threads).map { DispatchQueue(label: "cadang.gzip.\($0)", qos: .userInitiated) }
        inflated = .allocate(byteCount: Self.blockSize, alignment: 64)
    }

    deinit {
        compressors.forEach { libdeflate_free_compressor($0.pointer) }
        libdeflate_free_decompressor(decompressor)
        inflated.deallocate()
    }

    /// Compresses `slot.input` into `slot.output` on the block's queue, then marks the slot ready.
    func compress(_ slot: ArchiveStream.Slot, fault: ArchiveFault?) {
        let worker = slot.number % threads
        let compressor = compressors[worker]
        queues[worker].async {
            let count = slot.count
            if fault == .wrongMember && slot.number == 0 && count > 0 {
                // A valid member of other bytes: only comparing the inflated bytes with the input finds it.
                let other = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
                other.copyMemory(from: slot.input, byteCount: count)
                other.storeBytes(of: other.load(fromByteOffset: count / 2, as: UInt8.self) ^ 0x5A, toByteOffset: count / 2, as: UInt8.self)
                slot.outputCount = libdeflate_gzip_compress(compressor.pointer, other, count, slot.output, slot.outputCapacity)
                other.deallocate()
            } else {
                slot.outputCount = libdeflate_gzip_compress(compressor.pointer, slot.input, count, slot.output, slot.outputCapacity)
            }
            if fault == .compressedByte && slot.number == 0 && slot.outputCount > 0 {
                slot.flip(output: true)
            }
            slot.ready.signal()
        }
    }

    /// On the proving thread, after the member was hashed and written: inflates it and compares the
    /// result with the block it was compressed from, byte for byte. libdeflate also checks the
    /// member's CRC-32 and size, and the member must fill the block's output exactly. Returns the
    /// inflated block (valid until the next call).
    func prove(_ slot: ArchiveStream.Slot, failure: (String) -> CadangError) throws -> UnsafeRawBufferPointer {
        var used = 0, produced = 0
        let result = libdeflate_gzip_decompress_ex(decompressor, slot.output, slot.outputCount, inflated, Self.blockSize, &used, &produced)
        guard result == LIBDEFLATE_SUCCESS else {
            throw failure("gzip member \(slot.number + 1) does not inflate (libdeflate: \(Self.describe(result))), a compressor or memory fault")
        }
        guard used == slot.outputCount else {
            throw failure("gzip member \(slot.number + 1) ends \(slot.outputCount - used) bytes before its block does")
        }
        guard produced == slot.count, memcmp(inflated, slot.input, produced) == 0 else {
            throw failure("gzip member \(slot.number + 1) inflates to other bytes than were compressed, a compressor or memory fault")
        }
        return UnsafeRawBufferPointer(start: inflated, count: produced)
    }

    private static func describe(_ result: libdeflate_result) -> String {
        switch result {
        case LIBDEFLATE_BAD_DATA: "corrupt data or CRC-32"
        case LIBDEFLATE_SHORT_OUTPUT: "short output"
        case LIBDEFLATE_INSUFFICIENT_SPACE: "more data than the block"
        default: "error \(result.rawValue)"
        }
    }
}
