import CadangCore

/// Streams a query's rows as a table dataset, batch by batch, optionally appending one constant
/// text cell to every row (e.g. the set's "Backup Date").
public final class SQLiteTableReader: TableReader {
    public let schema: TableSchema
    private let statement: SQLiteStatement
    private let queryColumns: Int
    private let trailing: [UInt8]?

    /// A reader of `statement`, whose result columns are the schema's columns (minus the trailing one).
    public init(schema: TableSchema, statement: SQLiteStatement, trailingText: String? = nil) {
        self.schema = schema
        self.statement = statement
        trailing = trailingText.map { Array($0.utf8) }
        queryColumns = schema.columns.count - (trailingText == nil ? 0 : 1)
        precondition(statement.columnCount == queryColumns, "query columns must match the schema")
    }

    public func read(into batch: inout RowBatch) throws -> Bool {
        while !batch.isFull {
            guard try statement.step() else { return false }
            statement.appendRow(to: &batch, columns: queryColumns)
            if let trailing { trailing.withUnsafeBytes { batch.appendText($0) } }
        }
        return true
    }
}
