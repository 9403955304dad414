/// A batch of rows stored column-by-row in flat arrays, reused across reads so that the hot path
/// allocates nothing per row: text and blob bytes live in one growing arena.
public struct RowBatch: Sendable {
    @usableFromInline struct Slot: Sendable {
        @usableFromInline var kind: ValueKind
        @usableFromInline var length: UInt32
        @usableFromInline var payload: UInt64

        @inlinable init(kind: ValueKind, length: UInt32, payload: UInt64) {
            self.kind = kind
            self.length = length
            self.payload = payload
        }
    }

    /// Number of cells per row.
    public let columnCount: Int
    /// Rows a reader should put in one batch before handing it on.
    public let capacity: Int
    @usableFromInline var slots: [Slot]
    @usableFromInline var storage: [UInt8]
    /// The arena holding every text and blob value of the batch.
    public var bytes: [UInt8] { storage }

    /// Creates an empty batch for rows of `columnCount` cells.
    public init(columnCount: Int, capacity: Int = 4096) {
        precondition(columnCount > 0, "a table has at least one column")
        self.columnCount = columnCount
        self.capacity = max(1, capacity)
        slots = []
        slots.reserveCapacity(columnCount * self.capacity)
        storage = []
        storage.reserveCapacity(64 * 1024)
    }

    /// Rows completely appended so far.
    @inlinable public var rowCount: Int { slots.count / columnCount }
    /// True when the batch holds `capacity` rows.
    @inlinable public var isFull: Bool { slots.count >= columnCount * capacity }
    /// True when no cell has been appended.
    @inlinable public var isEmpty: Bool { slots.isEmpty }

    /// Empties the batch, keeping its memory for the next one.
    public mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        storage.removeAll(keepingCapacity: true)
    }

    /// Keeps only the rows for which `keep(row)` is true, in order. Their text stays where it is in
    /// the arena; only the cells move, so filtering allocates nothing.
    public mutating func retainRows(where keep: (Int) throws -> Bool) rethrows {
        let rows = rowCount
        var kept = 0
        for row in 0..<rows where try keep(row) {
            if kept != row {
                for column in 0..<columnCount {
                    slots[kept &* columnCount &+ column] = slots[row &* columnCount &+ column]
                }
            }
            kept += 1
        }
        slots.removeLast((rows - kept) * columnCount)
    }

    /// Appends a NULL cell.
    @inlinable public mutating func appendNull() {
        slots.append(Slot(kind: .null, length: 0, payload: 0))
    }

    /// Appends an integer cell.
    @inlinable public mutating func append(_ value: Int64) {
        slots.append(Slot(kind: .integer, length: 0, payload: UInt64(bitPattern: value)))
    }

    /// Appends a real cell.
    @inlinable public mutating func append(_ value: Double) {
        slots.append(Slot(kind: .real, length: 0, payload: value.bitPattern))
    }

    /// Appends a text cell from raw UTF-8 bytes (validated later, by the writers).
    @inlinable public mutating func appendText(_ utf8: UnsafeRawBufferPointer) {
        appendBytes(utf8, kind: .text)
    }

    /// Appends a blob cell.
    @inlinable public mutating func appendBlob(_ data: UnsafeRawBufferPointer) {
        appendBytes(data, kind: .blob)
    }

    /// Appends a text cell from a Swift string.
    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { appendText(UnsafeRawBufferPointer($0)) }
    }

    /// Appends an optional string, NULL when absent.
    public mutating func append(_ value: String?) {
        if let value { append(value) } else { appendNull() }
    }

    @inlinable mutating func appendBytes(_ data: UnsafeRawBufferPointer, kind: ValueKind) {
        let offset = storage.count
        storage.append(contentsOf: data)
        slots.append(Slot(kind: kind, length: UInt32(data.count), payload: UInt64(offset)))
    }

    /// The cell at `row`, `column`.
    @inlinable public func cell(row: Int, column: Int) -> Cell {
        let slot = slots[row &* columnCount &+ column]
        switch slot.kind {
        case .null: return .null
        case .integer: return .integer(Int64(bitPattern: slot.payload))
        case .real: return .real(Double(bitPattern: slot.payload))
        case .text:
            let start = Int(slot.payload)
            return .text(start..<(start + Int(slot.length)))
        case .blob:
            let start = Int(slot.payload)
            return .blob(start..<(start + Int(slot.length)))
        }
    }

    /// Calls `body` with the batch's byte arena, for writers that copy text ranges out of it.
    @inlinable public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }
}
