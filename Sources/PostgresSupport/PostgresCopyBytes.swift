/// A growable byte buffer on raw memory for COPY data. Appends are a bounds check and an
/// unaligned store, without Array's per-call overhead: a million-row table is tens of millions
/// of fields.
///
/// A value type: `reserve` gives a copy its own memory before it writes (copy on write), so two
/// copies never write into the same bytes and memory is freed only with its last copy.
struct PostgresCopyBytes {
    /// One allocation, never resized: growing makes a new one, so a copy still holding the old
    /// one keeps valid memory.
    private final class Memory {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        init(capacity: Int) {
            base = .allocate(byteCount: capacity, alignment: 16)
            self.capacity = capacity
        }
        deinit { base.deallocate() }
    }

    private var memory: Memory
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int) {
        memory = Memory(capacity: capacity)
    }

    /// Makes room for `extra` more bytes in memory this value alone holds; the `unchecked`
    /// writes after it must not write more.
    @inline(__always) mutating func reserve(_ extra: Int) {
        if count + extra > memory.capacity || !isKnownUniquelyReferenced(&memory) { reallocate(toHold: count + extra) }
    }

    private mutating func reallocate(toHold needed: Int) {
        var capacity = memory.capacity
        while capacity < needed { capacity *= 2 }
        let fresh = Memory(capacity: capacity)
        fresh.base.copyMemory(from: memory.base, byteCount: count)
        memory = fresh
    }

    /// Appends `value` big-endian (network order, as binary COPY wants), after `reserve`.
    @inline(__always) mutating func appendUnchecked<Value: FixedWidthInteger>(bigEndian value: Value) {
        memory.base.storeBytes(of: value.bigEndian, toByteOffset: count, as: Value.self)
        count += MemoryLayout<Value>.size
    }

    /// Appends `bytes`, after `reserve`.
    @inline(__always) mutating func appendUnchecked(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (memory.base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends `bytes`, making room first.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        appendUnchecked(bytes)
    }

    /// Overwrites 4 bytes at `offset`, written since the last `reserve` (a length written
    /// before what it measures was known).
    mutating func set(bigEndian value: Int32, at offset: Int) {
        memory.base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self)
    }

    /// Where the next byte goes, for filling up to `reserve`d bytes in place.
    var end: UnsafeMutableRawPointer { memory.base + count }

    /// Counts `written` bytes filled in place at `end`.
    mutating func advance(by written: Int) { count += written }

    /// The bytes written so far.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: memory.base, count: count))
    }

    /// Forgets the bytes, keeping the memory.
    mutating func removeAll() { count = 0 }
}
