#if canImport(Glibc)
import Glibc
#endif

/// A growable byte buffer on raw memory for COPY data. Appends are a bounds check and an
/// unaligned store, without Array's uniqueness and capacity checks on every call: a million-row
/// table is tens of millions of fields.
///
/// Copies share the memory, so a value is meant to have one owner (the writer that holds it).
struct PostgresCopyBytes {
    /// Owns the allocation, so that it is freed when the last copy goes.
    private final class Memory {
        var base: UnsafeMutableRawPointer
        init(capacity: Int) { base = .allocate(byteCount: capacity, alignment: 16) }
        deinit { base.deallocate() }
    }

    private let memory: Memory
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int) {
        memory = Memory(capacity: capacity)
        base = memory.base
        self.capacity = capacity
    }

    /// Makes room for `extra` more bytes; the `unchecked` appends after it must not write more.
    @inline(__always) mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: count + extra) }
    }

    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        grown.copyMemory(from: base, byteCount: count)
        memory.base.deallocate()
        memory.base = grown
        base = grown
        capacity = newCapacity
    }

    /// Appends `value` big-endian (network order, as binary COPY wants), after `reserve`.
    @inline(__always) mutating func appendUnchecked<Value: FixedWidthInteger>(bigEndian value: Value) {
        base.storeBytes(of: value.bigEndian, toByteOffset: count, as: Value.self)
        count += MemoryLayout<Value>.size
    }

    /// Appends `bytes`, after `reserve`.
    @inline(__always) mutating func appendUnchecked(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends `bytes`, making room first.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        appendUnchecked(bytes)
    }

    /// Overwrites 4 bytes at `offset` (a length written before what it measures was known).
    mutating func set(bigEndian value: Int32, at offset: Int) {
        base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self)
    }

    /// Where the next byte goes, for writers that fill up to `reserve`d bytes in place.
    var end: UnsafeMutableRawPointer { base + count }

    /// Counts `written` bytes filled in place at `end`.
    mutating func advance(by written: Int) { count += written }

    /// The bytes written so far.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets the bytes, keeping the memory.
    mutating func removeAll() { count = 0 }
}
