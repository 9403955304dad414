import CadangCore
import PostgresSupport

/// A dataset's table in the schema: the columns the sink adds, then the dataset's columns for
/// programs with their PostgreSQL types, and the statements made of them (identifiers quoted).
struct PostgresTableLayout {
    /// The PostgreSQL type a column is stored as.
    enum StoredType: String {
        case bigint
        case double = "double precision"
        case text
        case bytea

        init(_ kind: ValueKind?) {
            switch kind {
            case .integer?: self = .bigint
            case .real?: self = .double
            case .blob?: self = .bytea
            case .text?, .null?, nil: self = .text
            }
        }
    }

    /// The columns every table starts with, in this order.
    static let added: [(name: String, type: String)] = [
        ("source", "text"), ("set_id", "text"), ("set_time", "timestamp with time zone"), ("row_number", "bigint"),
    ]

    let schema: String
    let table: String
    /// Indices of the schema's columns the table stores, in order.
    let columns: [Int]
    let names: [String]
    let types: [StoredType]

    /// PostgreSQL's limit on a table's columns.
    static let maxColumns = 1600

    init(_ dataset: TableSchema, schema: String, instance: String) throws {
        self.schema = schema
        table = dataset.name
        guard PostgresIdentifier.isUsable(table), table != PostgresSink.ledgerTable else {
            throw CadangError(.usage, "sink '\(instance)' (postgres): dataset '\(table)' cannot be a table name in \(schema) (empty, over 63 bytes, or the ledger's name)",
                              fix: "load it with a rename policy or leave it out of the job's datasets")
        }
        columns = dataset.columnIndices(for: .programs)
        names = columns.map { dataset.columns[$0].name }
        types = columns.map { StoredType(dataset.columns[$0].kind) }
        guard Self.added.count + columns.count <= Self.maxColumns else {
            throw CadangError(.usage, "sink '\(instance)' (postgres): dataset '\(table)' has \(columns.count) columns; a PostgreSQL table holds at most \(Self.maxColumns), \(Self.added.count) of them the sink's own",
                              fix: "leave the dataset out of this sink's jobs")
        }
        var seen = Set(Self.added.map(\.name))
        for name in names where !seen.insert(name).inserted || !PostgresIdentifier.isUsable(name) {
            throw CadangError(.usage, "sink '\(instance)' (postgres): column '\(name)' of dataset '\(table)' clashes with another column or with one the sink adds (source, set_id, set_time, row_number), or is no usable name",
                              fix: "leave the dataset out of this sink's jobs, or rename the column at the source")
        }
    }

    /// Fields in a row: the added columns, then the dataset's (at most `maxColumns`, so an Int16).
    var fieldCount: Int16 { Int16(Self.added.count + columns.count) }

    /// `"schema"."table"`.
    var qualified: String { "\(PostgresIdentifier.quoted(schema)).\(PostgresIdentifier.quoted(table))" }

    /// Every column with its type, as `format_type` spells it.
    var expected: [(name: String, type: String)] {
        Self.added + zip(names, types).map { ($0, $1.rawValue) }
    }

    var createStatement: String {
        let definitions = expected.map { "\(PostgresIdentifier.quoted($0.name)) \($0.type)" }.joined(separator: ", ")
        return "CREATE TABLE IF NOT EXISTS \(qualified) (\(definitions))"
    }

    var copyStatement: String {
        "COPY \(qualified) (\(expected.map { PostgresIdentifier.quoted($0.name) }.joined(separator: ", "))) FROM STDIN (FORMAT binary)"
    }

    /// Throws unless the table (which may have been there before) has exactly the expected columns.
    func check(_ connection: PostgresConnection) throws {
        let result = try connection.execute("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [.text(qualified)])
        let found = (0..<result.rowCount).map { (name: result.string($0, 0) ?? "", type: result.string($0, 1) ?? "") }
        let wanted = expected
        guard !found.elementsEqual(wanted, by: { $0.name == $1.name && $0.type == $1.type }) else { return }
        func shown(_ columns: [(name: String, type: String)]) -> String {
            columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        }
        throw CadangError(.usage, "table \(schema).\(table) exists with columns (\(shown(found))), not the (\(shown(wanted))) dataset '\(table)' needs",
                          fix: "rename or drop that table (ALTER TABLE \(qualified) RENAME TO …), or give the sink another schema")
    }
}
