/// One value of a parsed item on the parser's tape, in document order: a container is followed by
/// its children (for an object: key, value, key, value…), and `next` jumps over all of them. The
/// tape points into the item's bytes instead of copying them, so parsing allocates nothing per value.
struct JSONNode {
    enum Kind: UInt8 {
        case object, array, string, number, trueLiteral, falseLiteral, null
    }

    var kind: Kind
    /// Strings only: the text has backslash escapes and must be decoded before use.
    var escaped: Bool
    /// Strings: the first byte after the opening quote; other values: their first byte.
    var start: Int32
    /// Strings: the closing quote; numbers and literals: one past their last byte.
    var end: Int32
    /// The index of the first node after this value and everything inside it.
    var next: Int32
}
