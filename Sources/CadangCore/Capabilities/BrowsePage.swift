/// Which page of which records a list asks for.
public struct BrowseQuery: Sendable, Equatable {
    /// Filter values by filter name; empty values are left out.
    public var parameters: [String: String]
    /// The page, from 1.
    public var page: Int
    /// Records per page.
    public var pageSize: Int

    /// A query.
    public init(parameters: [String: String] = [:], page: Int = 1, pageSize: Int = 50) {
        self.parameters = parameters.filter { !$0.value.isEmpty }
        self.page = max(1, page)
        self.pageSize = max(1, pageSize)
    }

    /// How many records come before the page.
    public var offset: Int { (page - 1) * pageSize }
}

/// One value of a record, typed as its dataset's column is.
public enum RecordValue: Sendable, Equatable, Encodable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as a person reads it ("" for null).
    public var text: String {
        switch self {
        case .null: return ""
        case .integer(let value): return String(value)
        case .real(let value): return value.description
        case .text(let value): return value
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}

/// One page of a list.
public struct BrowsePage: Sendable, Encodable {
    /// The column names, in the order of each row's values.
    public var columns: [String]
    /// The page's records, newest first.
    public var rows: [[RecordValue]]
    /// How many records the filters match, on every page.
    public var total: Int
    public var page: Int
    public var pageSize: Int

    /// A page.
    public init(columns: [String], rows: [[RecordValue]], total: Int, page: Int, pageSize: Int) {
        self.columns = columns
        self.rows = rows
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }

    /// How many pages the filters give (at least 1).
    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }

    /// Row `row`'s value in `column`.
    public func value(_ column: String, in row: [RecordValue]) -> RecordValue {
        columns.firstIndex(of: column).map { row[$0] } ?? .null
    }

    private enum Keys: String, CodingKey {
        case rows, total, page, pageSize = "page_size", pages
    }

    /// `{"rows": [{column: value}], "total", "page", "page_size", "pages"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(rows.map { RowObject(columns: columns, values: $0) }, forKey: .rows)
        try container.encode(total, forKey: .total)
        try container.encode(page, forKey: .page)
        try container.encode(pageSize, forKey: .pageSize)
        try container.encode(pageCount, forKey: .pages)
    }

    private struct RowObject: Encodable {
        var columns: [String]
        var values: [RecordValue]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (column, value) in zip(columns, values) { try container.encode(value, forKey: Key(stringValue: column)) }
        }
    }
}

/// Everything kept about one record: its fields, tables of what belongs to it (versions,
/// events), and documents shown as text (payloads).
public struct RecordDetail: Sendable, Encodable {
    public var key: String
    /// What the record's page is headed with.
    public var title: String
    /// Its columns, in order.
    public var fields: [Field]
    public var tables: [Table]
    /// Texts shown verbatim, never as markup.
    public var documents: [Document]

    /// A record.
    public init(key: String, title: String, fields: [Field], tables: [Table] = [], documents: [Document] = []) {
        self.key = key
        self.title = title
        self.fields = fields
        self.tables = tables
        self.documents = documents
    }

    /// A named value.
    public struct Field: Sendable, Encodable {
        public var name: String
        public var value: RecordValue
        /// A field.
        public init(_ name: String, _ value: RecordValue) {
            self.name = name
            self.value = value
        }
    }

    /// Rows belonging to the record.
    public struct Table: Sendable, Encodable {
        public var name: String
        public var title: LocalizedText
        public var columns: [String]
        public var rows: [[RecordValue]]
        /// A table.
        public init(name: String, title: LocalizedText, columns: [String], rows: [[RecordValue]]) {
            self.name = name
            self.title = title
            self.columns = columns
            self.rows = rows
        }

        private enum Keys: String, CodingKey { case name, columns, rows }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(name, forKey: .name)
            try container.encode(columns, forKey: .columns)
            try container.encode(rows, forKey: .rows)
        }
    }

    /// A text kept with the record (a payload as received).
    public struct Document: Sendable, Encodable {
        public var title: String
        public var text: String
        /// A document.
        public init(title: String, text: String) {
            self.title = title
            self.text = text
        }
    }
}
