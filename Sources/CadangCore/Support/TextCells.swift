/// Hands writers the bytes of a text cell as valid UTF-8, repairing (and counting) invalid ones
/// through one reusable scratch buffer so the common, valid case copies nothing.
public struct TextCells {
    private var scratch: [UInt8] = []
    /// Cells repaired so far.
    public private(set) var repairedCount = 0

    /// Creates a helper.
    public init() {}

    /// Calls `body` with valid UTF-8 for `range` of `arena`.
    @inlinable public mutating func withValidUTF8<R>(_ arena: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                                                     _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let bytes = UnsafeBufferPointer(rebasing: arena[range])
        if UTF8Repair.isValid(bytes) { return body(bytes) }
        return repairSlow(bytes, body)
    }

    @usableFromInline mutating func repairSlow<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        repairedCount += 1
        UTF8Repair.repair(bytes, into: &scratch)
        return scratch.withUnsafeBufferPointer(body)
    }

    /// Records a warning on `warnings` when any cell was repaired.
    public func report(to warnings: WarningLog, artifact: String) {
        guard repairedCount > 0 else { return }
        warnings.warn("\(artifact): \(repairedCount) text value(s) held invalid UTF-8; the bad bytes were replaced with U+FFFD")
    }
}
