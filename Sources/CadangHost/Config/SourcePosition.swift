/// A place in a config file: 1-based line and column.
public struct SourcePosition: Sendable, Equatable, Comparable {
    /// Line, from 1.
    public var line: Int
    /// Column, from 1 (in Unicode scalars, as libyaml counts).
    public var column: Int

    /// Creates a position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of a file.
    public static let start = SourcePosition(line: 1, column: 1)

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}
