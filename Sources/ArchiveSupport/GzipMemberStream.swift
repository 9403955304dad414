import CadangCore
import CDeflate
import Dispatch

/// Compresses a byte stream as a series of independent gzip members with libdeflate.
///
/// The stream is cut into blocks of `blockSize` bytes; each becomes one complete gzip member
/// (header, deflate data, CRC-32, size). Concatenated members are one valid gzip file (RFC 1952
/// §2.2) that `gzip -d`, zlib, GNU tar and Python read as usual. Independent members let `threads`
/// blocks be compressed at once; memory stays at `threads` × (block + its worst-case output).
final class GzipMemberStream {
    /// Input per member: large enough that the lost 32 KiB of history at each cut costs nothing
    /// measurable, small enough to keep memory flat.
    static let blockSize = 2 << 20

    private let output: ArchiveOutput
    private let threads: Int
    private let compressors: [OpaquePointer]
    private let inputs: [UnsafeMutableRawPointer]
    private let outputs: [UnsafeMutableRawPointer]
    private let sizes: UnsafeMutablePointer<Int>
    private let outputCapacity: Int
    private var filledBlocks = 0
    private var filledBytes = 0

    init(output: ArchiveOutput, level: Int, threads: Int) throws {
        self.output = output
        self.threads = max(1, threads)
        var compressors: [OpaquePointer] = []
        for _ in 0..<self.threads {
            guard let compressor = libdeflate_alloc_compressor(Int32(level)) else {
                compressors.forEach { libdeflate_free_compressor($0) }
                throw CadangError(.usage, "gzip level \(level) is not supported", fix: "use a level from 1 to 12")
            }
            compressors.append(compressor)
        }
        self.compressors = compressors
        outputCapacity = libdeflate_gzip_compress_bound(compressors[0], Self.blockSize)
        inputs = (0..<self.threads).map { _ in UnsafeMutableRawPointer.allocate(byteCount: Self.blockSize, alignment: 64) }
        outputs = (0..<self.threads).map { [outputCapacity] _ in UnsafeMutableRawPointer.allocate(byteCount: outputCapacity, alignment: 64) }
        sizes = .allocate(capacity: self.threads)
        sizes.initialize(repeating: 0, count: self.threads)
    }

    deinit {
        compressors.forEach { libdeflate_free_compressor($0) }
        inputs.forEach { $0.deallocate() }
        outputs.forEach { $0.deallocate() }
        sizes.deallocate()
    }

    /// Takes more of the stream.
    func write(_ buffer: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count {
            let take = min(Self.blockSize - filledBytes, buffer.count - offset)
            (inputs[filledBlocks] + filledBytes).copyMemory(from: buffer.baseAddress! + offset, byteCount: take)
            filledBytes += take
            offset += take
            if filledBytes == Self.blockSize {
                filledBlocks += 1
                filledBytes = 0
                if filledBlocks == threads { try flush() }
            }
        }
    }

    /// Compresses and writes what is left.
    func finish() throws {
        try flush()
    }

    /// Compresses the filled blocks (and a partial last one) at once, then writes them in order.
    private func flush() throws {
        let count = filledBlocks + (filledBytes > 0 ? 1 : 0)
        guard count > 0 else { return }
        let lastBytes = filledBytes > 0 ? filledBytes : Self.blockSize
        let work = Work(compressors: compressors, inputs: inputs, outputs: outputs, sizes: sizes,
                        capacity: outputCapacity, count: count, lastBytes: lastBytes)
        if count == 1 {
            work.compress(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: count) { work.compress($0) }
        }
        for index in 0..<count {
            guard sizes[index] > 0 else { throw CadangError(.failure, "libdeflate could not compress a block") }
            try output.write(UnsafeRawBufferPointer(start: outputs[index], count: sizes[index]))
        }
        filledBlocks = 0
        filledBytes = 0
    }

    /// One round of blocks; each index is touched by one thread only.
    private struct Work: @unchecked Sendable {
        let compressors: [OpaquePointer]
        let inputs: [UnsafeMutableRawPointer]
        let outputs: [UnsafeMutableRawPointer]
        let sizes: UnsafeMutablePointer<Int>
        let capacity: Int
        let count: Int
        let lastBytes: Int

        func compress(_ index: Int) {
            let bytes = index == count - 1 ? lastBytes : GzipMemberStream.blockSize
            sizes[index] = libdeflate_gzip_compress(compressors[index], inputs[index], bytes, outputs[index], capacity)
        }
    }
}
