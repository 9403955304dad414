/// One column of a table: the key programs see, the title people see, and who it is meant for.
public struct Column: Sendable, Equatable {
    /// Which exports carry a column. A spreadsheet export and a JSON export of the same table may
    /// differ (e.g. a human-formatted payment method next to the stored one), so a source can say so.
    public enum Audience: Sendable, Equatable {
        /// Every export.
        case everyone
        /// Exports read by people (CSV opened in a spreadsheet).
        case people
        /// Exports read by programs (JSON).
        case programs

        /// Whether a column meant for `self` belongs in an export for `reader`.
        public func includes(_ reader: Audience) -> Bool {
            self == .everyone || reader == .everyone || self == reader
        }
    }

    /// Machine name, used as the JSON key.
    public var name: String
    /// Human title, used as the CSV header.
    public var title: String
    /// Declared storage class, if the source knows it (cells may still be NULL).
    public var kind: ValueKind?
    /// Which exports carry this column.
    public var audience: Audience

    /// Creates a column; the title defaults to the name.
    public init(_ name: String, title: String? = nil, kind: ValueKind? = nil, audience: Audience = .everyone) {
        self.name = name
        self.title = title ?? name
        self.kind = kind
        self.audience = audience
    }
}
