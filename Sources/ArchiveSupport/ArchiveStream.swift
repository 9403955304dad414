import CadangCore
import Dispatch
import Foundation
import Synchronization

/// The archive's bytes on their way from libarchive to the file, proved on the way.
///
/// libarchive's output — the tar stream, compressed here for gzip (in members, with libdeflate)
/// and zstd (one checksummed frame, with libzstd), or kept as it is for none — is cut into
/// numbered slots. A proving thread takes
/// the slots in order and, for each one, hashes and writes the bytes that go to the file, then
/// decodes them again in memory: a gzip member is inflated and compared with the block it came
/// from; the whole stream then goes through the same entry-by-entry checks as `verify --archive`
/// (libarchive's tar reader, over libzstd for zstd), so the decoded archive must hold exactly the
/// set's manifest and files with their SHA-256. Nothing of this reads the file back: the re-read
/// from the drive comes after fsync (`ArchiveOutput.reread`).
///
/// Threads: the caller's (libarchive framing the set's files into the slots), one per gzip
/// compressor, and the proving thread, so the proof adds wall time only where it is slower than
/// the compressors (zstd compresses on the caller's thread, with libzstd's workers when threads > 1).
/// Memory is the slots: (threads + 2) × (2 MiB block + its compressed bound) for gzip — one being
/// filled, one per compressor, one being proved — plus one inflated block; 4 × (1 MiB + its bound)
/// for zstd, plus libzstd's window and jobs; 4 × 1 MiB for none.
final class ArchiveStream: @unchecked Sendable {
    /// One piece of the stream. The caller's thread fills it, then (gzip) a compressor's queue,
    /// then the proving thread reads it; `ready` and the free-slot count order those hand-overs.
    final class Slot: @unchecked Sendable {
        let input: UnsafeMutableRawPointer
        let capacity: Int
        private(set) var output: UnsafeMutableRawPointer?
        private(set) var outputCapacity: Int
        /// Bytes in `input`.
        var count = 0
        /// Bytes in `output` (gzip: 0 when libdeflate failed; zstd: 0 while libzstd holds the input).
        var outputCount = 0
        /// The position of this slot in the stream (0, 1, …).
        var number = 0
        /// Marks the end of the stream; carries no bytes.
        var end = false
        let ready = DispatchSemaphore(value: 0)

        init(capacity: Int, outputCapacity: Int) {
            self.capacity = capacity
            input = .allocate(byteCount: capacity, alignment: 64)
            self.outputCapacity = outputCapacity
            output = outputCapacity > 0 ? .allocate(byteCount: outputCapacity, alignment: 64) : nil
        }

        deinit {
            input.deallocate()
            output?.deallocate()
        }

        /// Doubles `output`, keeping its first `outputCount` bytes.
        func growOutput() {
            let larger = UnsafeMutableRawPointer.allocate(byteCount: max(2 * outputCapacity, 1 << 16), alignment: 64)
            if let output {
                larger.copyMemory(from: output, byteCount: outputCount)
                output.deallocate()
            }
            output = larger
            outputCapacity = max(2 * outputCapacity, 1 << 16)
        }

        /// `compressedByte`: one byte of what goes to the file changes.
        func flip(output toOutput: Bool) {
            let (base, length) = toOutput ? (output ?? input, outputCount) : (input, count)
            guard length > 0 else { return }
            base.storeBytes(of: base.load(fromByteOffset: length / 2, as: UInt8.self) ^ 0x5A, toByteOffset: length / 2, as: UInt8.self)
        }
    }

    /// What the proving thread established.
    struct Proof {
        /// The manifest, files and bytes the decoded archive holds (all checked).
        var contents: SetArchiveReader.Contents
        /// Bytes of tar the stream decodes to.
        var tarBytes: Int64
    }

    private let compression: ArchiveCompression
    private let output: ArchiveOutput
    private let gzip: GzipMemberStream?
    private let zstd: ZstdFrameStream?
    private let fault: ArchiveFault?
    private let slots: [Slot]
    private let free: DispatchSemaphore
    private let failure: (String) -> CadangError
    /// The first error of either side; once set, the caller's writes fail and the proving thread
    /// only passes slots back.
    private let firstError = Mutex<(any Error)?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    // The caller's thread only.
    private var current: Slot?
    private var submitted = 0
    private var ended = false
    private var joined = false
    /// `compressedByte` on zstd: the first slot with compressed bytes takes it.
    private var compressedFaultPending: Bool

    // The proving thread only (and the caller, after `finished`).
    private var taken = 0
    private var held: Slot?
    private var sawEnd = false
    private var proof: Proof?

    /// Starts the proving thread. `failure` words a failed proof as an error about the archive.
    init(output: ArchiveOutput, compression: ArchiveCompression, level: Int, threads: Int,
         fault: ArchiveFault?, failure: @escaping (String) -> CadangError) throws {
        self.output = output
        self.compression = compression
        self.fault = fault
        self.failure = failure
        compressedFaultPending = fault == .compressedByte
        switch compression {
        case .gzip:
            let gzip = try GzipMemberStream(level: level, threads: threads)
            self.gzip = gzip
            zstd = nil
            slots = (0..<(gzip.threads + 2)).map { _ in Slot(capacity: GzipMemberStream.blockSize, outputCapacity: gzip.outputCapacity) }
        case .zstd:
            gzip = nil
            zstd = try ZstdFrameStream(level: level, threads: threads)
            slots = (0..<4).map { _ in Slot(capacity: 1 << 20, outputCapacity: ZstdFrameStream.outputCapacity(for: 1 << 20)) }
        case .none:
            gzip = nil
            zstd = nil
            slots = (0..<4).map { _ in Slot(capacity: 1 << 20, outputCapacity: 0) }
        }
        free = DispatchSemaphore(value: slots.count)
        let thread = Thread { [self] in prove() }
        thread.name = "cadang.archive-proof"
        thread.start()
    }

    deinit {
        abandon()
    }

    // MARK: The caller's side

    /// Takes more of libarchive's output.
    func write(_ buffer: UnsafeRawBufferPointer) throws {
        if let error = firstError.withLock({ $0 }) { throw error }
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let slot = acquire()
            let take = min(slot.capacity - slot.count, buffer.count - offset)
            (slot.input + slot.count).copyMemory(from: base + offset, byteCount: take)
            slot.count += take
            offset += take
            if slot.count == slot.capacity { submit() }
        }
    }

    /// Ends the stream and waits for the proving thread: every byte is then written (not yet
    /// flushed) and proved. Throws the first error of either side.
    func finish() throws -> Proof {
        if zstd != nil {
            // The frame's last block and its checksum go out in one more slot.
            _ = acquire()
            submit(last: true)
        } else if let current, current.count > 0 {
            submit()
        }
        end()
        if let error = firstError.withLock({ $0 }) { throw error }
        guard let proof else { throw failure("the proof ended without a result") }
        return proof
    }

    /// Stops early (the caller failed): the proving thread drops what is left and ends.
    func abandon() {
        guard !joined else { return }
        record(CadangError(.failure, "the archive was abandoned"))
        end()
    }

    private func acquire() -> Slot {
        if let current { return current }
        free.wait()
        let slot = slots[submitted % slots.count]
        slot.count = 0
        slot.outputCount = 0
        slot.end = false
        current = slot
        return slot
    }

    private func submit(last: Bool = false) {
        guard let slot = current else { return }
        current = nil
        slot.number = submitted
        submitted += 1
        if let gzip, !slot.end {
            gzip.compress(slot, fault: fault)
        } else if let zstd, !slot.end {
            do {
                try zstd.compress(slot, last: last)
            } catch {
                record(error)
            }
            if compressedFaultPending && slot.outputCount > 0 {
                compressedFaultPending = false
                slot.flip(output: true)
            }
            slot.ready.signal()
        } else {
            if fault == .compressedByte && slot.number == 0 && !slot.end { slot.flip(output: false) }
            slot.ready.signal()
        }
    }

    /// Sends the end marker (once) and waits for the proving thread.
    private func end() {
        if !ended {
            ended = true
            let slot = acquire()
            slot.end = true
            submit()
        }
        if !joined {
            finished.wait()
            joined = true
        }
    }

    private func record(_ error: any Error) {
        firstError.withLock { if $0 == nil { $0 = error } }
    }

    // MARK: The proving thread

    private func prove() {
        do {
            proof = try StreamProof.check(compression == .zstd ? .zstd : .tar, next: { try self.next() }, failure: failure)
        } catch {
            record(error)
        }
        // Whatever happened, take every slot to the end marker so the caller never waits for one.
        if held != nil {
            held = nil
            free.signal()
        }
        while !sawEnd {
            let slot = slots[taken % slots.count]
            taken += 1
            slot.ready.wait()
            if slot.end { sawEnd = true }
            free.signal()
        }
        finished.signal()
    }

    /// The next piece of the decoded stream, after writing what goes to the file; nil at the end.
    private func next() throws -> UnsafeRawBufferPointer? {
        if held != nil {
            held = nil
            free.signal()
        }
        if sawEnd { return nil }
        if let error = firstError.withLock({ $0 }) { throw error }
        let slot = slots[taken % slots.count]
        taken += 1
        slot.ready.wait()
        var keep = false
        defer { if !keep { free.signal() } }
        if slot.end {
            sawEnd = true
            return nil
        }
        if let gzip {
            guard slot.outputCount > 0 else { throw failure("libdeflate could not compress block \(slot.number + 1)") }
            try output.write(UnsafeRawBufferPointer(start: slot.output, count: slot.outputCount))
            return try gzip.prove(slot, failure: failure)
        }
        if zstd != nil, let error = firstError.withLock({ $0 }) { throw error }
        let bytes = zstd != nil ? UnsafeRawBufferPointer(start: slot.output, count: slot.outputCount)
                                : UnsafeRawBufferPointer(start: slot.input, count: slot.count)
        try output.write(bytes)
        // libarchive reads these bytes in place until it asks for more.
        keep = true
        held = slot
        return bytes
    }
}
