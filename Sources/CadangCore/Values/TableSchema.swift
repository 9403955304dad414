/// The shape of a table dataset.
public struct TableSchema: Sendable, Equatable {
    /// Dataset name, e.g. `produk`.
    public var name: String
    /// Columns in export order.
    public var columns: [Column]

    /// Creates a schema.
    public init(name: String, columns: [Column]) {
        self.name = name
        self.columns = columns
    }

    /// Positions of the columns that an export for `reader` carries, in order.
    public func columnIndices(for reader: Column.Audience) -> [Int] {
        columns.indices.filter { columns[$0].audience.includes(reader) }
    }
}
