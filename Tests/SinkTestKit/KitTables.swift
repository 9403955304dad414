import CadangCore

/// A table the kit sends through a sink: its schema, its rows, and the column that tells rows apart.
public struct KitTable: Sendable {
    /// Name and columns.
    public var schema: TableSchema
    /// The rows, in order.
    public var rows: [[TestValue]]
    /// A column whose value differs in every row, used to recognise rows read back out of order;
    /// `nil` compares rows by position.
    public var keyColumn: Int?

    /// A table.
    public init(schema: TableSchema, rows: [[TestValue]], keyColumn: Int?) {
        self.schema = schema
        self.rows = rows
        self.keyColumn = keyColumn
    }
}

extension KitTable {
    /// Columns for every audience, interleaved, so that carrying the wrong ones or skipping the
    /// right ones moves something visible. Titles hold a comma and quotes, as real titles do.
    public static let mixedColumns = [
        Column("id", title: "ID", kind: .integer),
        Column("text", title: "Text, \"quoted\""),
        Column("stored", title: "Stored", audience: .programs),
        Column("number", title: "Number"),
        Column("shown", title: "Shown", audience: .people),
        Column("data", title: "Data", kind: .blob),
        Column("note", title: "Note"),
    ]

    /// Text that formats get wrong: separators, quotes, line breaks, escapes, emoji, a combining
    /// accent (not to be normalised), invisible separators, control characters, and invalid UTF-8.
    public static let awkwardTexts: [TestValue] = [
        .text(""), .text("plain"), .text("a,b"), .text(",lead"), .text("trail,"), .text("say \"hi\""), .text("\""),
        .text("\"\""), .text("line\nbreak"), .text("cr\rinside"), .text("crlf\r\n"), .text("\r\n"), .text("\t"),
        .text("tab\tinside"), .text("back\\slash\\"), .text("\\N"), .text("🛒 e\u{301}"), .text("\u{E9}"),
        .text(" leading"), .text("trailing "), .text("null"), .text("123"), .text("a;b|c"), .text("\u{2028}\u{2029}"),
        .text("\u{0}\u{1F}\u{7F}"), .text("{\"json\": [1]}"),
        .invalid([0x41, 0xFF, 0x42], repaired: "A\u{FFFD}B"), .invalid([0xC3], repaired: "\u{FFFD}"),
        .invalid([0xED, 0xA0, 0x80], repaired: "\u{FFFD}\u{FFFD}\u{FFFD}"),
    ]

    /// Integers at the extremes, and reals whose text forms are easy to get wrong.
    public static let numbers: [TestValue] = [
        .integer(.min), .integer(.max), .integer(0), .integer(-1), .integer(42), .real(-0.0), .real(0.0), .real(1e-300),
        .real(.leastNonzeroMagnitude), .real(0.1), .real(44000), .real(.greatestFiniteMagnitude), .real(-2.5), .real(1e16),
        .real(1.0 / 3.0), .real(9_007_199_254_740_994), .null,
    ]

    /// Values for the programs-only column.
    public static let storedValues: [TestValue] = [.integer(1000), .text("TUNAI"), .null, .real(0.5), .text("code,\"x\"")]
    /// Values for the people-only column.
    public static let shownValues: [TestValue] = [.text("Rp 1.000"), .text("Tunai"), .null, .text(""), .text("Kartu, debit"),
                                                  .text("🧾\n2"), .integer(-7)]
    /// Blobs, empty and full-range, and NULLs.
    public static let blobs: [TestValue] = [.null, .blob([]), .blob([0]), .blob([0xFB, 0xFF]), .blob(Array(0...255)), .blob([1, 2, 3])]
    /// Empty text next to NULL, and text that spreadsheets read as formulas or numbers.
    public static let notes: [TestValue] = [.text(""), .null, .text("=1+1"), .text("-"), .text("+62812"), .text("@x"),
                                            .text("089686611601"), .text("8991234567890"), .text("-12"), .text("a=b"), .text("\r=1")]

    /// 257 rows (a prime: every batch size but 1 and 257 leaves a short last batch) of every kind of
    /// value; each list repeats with its own period so that values meet in many combinations.
    public static let mixed: KitTable = {
        let rows = (0..<257).map { i -> [TestValue] in
            [.integer(Int64(i)), awkwardTexts[i % awkwardTexts.count], storedValues[i % storedValues.count],
             numbers[i % numbers.count], shownValues[i % shownValues.count], blobs[i % blobs.count], notes[i % notes.count]]
        }
        return KitTable(schema: TableSchema(name: "mixed", columns: mixedColumns), rows: rows, keyColumn: 0)
    }()

    /// One column whose records can be empty: formats that write a blank line for them lose rows.
    public static let single = KitTable(
        schema: TableSchema(name: "single", columns: [Column("value", title: "Value")]),
        rows: [[.text("a")], [.null], [.text("")], [.text(" ")], [.text("b")], [.text("\n")], [.null]],
        keyColumn: nil)

    /// No rows at all.
    public static let empty = KitTable(schema: TableSchema(name: "empty", columns: mixedColumns), rows: [], keyColumn: 0)
}
