/// What one Excel sheet can hold (Excel's specifications and limits).
enum XLSXSheetLimits {
    /// Rows in a sheet, the header included.
    static let rows = 1_048_576
    /// Data rows per sheet: every row but the header's.
    static let dataRows = rows - 1
    /// Characters in one cell.
    static let cellCharacters = 32_767
    /// Characters in a sheet name.
    static let nameCharacters = 31
    /// The widest column we set, in characters: wider columns push everything else off screen.
    static let widestColumn = 60.0
    /// Integers a double holds exactly; beyond this a number cell would lose digits.
    static let exactIntegers: Int64 = 1 << 53
}
