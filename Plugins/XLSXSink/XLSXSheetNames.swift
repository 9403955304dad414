/// Sheet names for one table: the table's name, then `name (2)`, `name (3)`, … for the sheets it
/// continues on, each within Excel's 31 characters and without the characters it refuses.
struct XLSXSheetNames {
    private let base: String

    init(table: String) {
        // Excel refuses []:*?/\ in sheet names, and a leading or trailing apostrophe.
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var name = String(table.map { forbidden.contains($0) ? "_" : $0 })
        while name.hasPrefix("'") { name.removeFirst() }
        while name.hasSuffix("'") { name.removeLast() }
        base = name.isEmpty ? "data" : name
    }

    /// The name of sheet `number`, counting from 1.
    func name(ofSheet number: Int) -> String {
        let suffix = number == 1 ? "" : " (\(number))"
        return String(base.prefix(XLSXSheetLimits.nameCharacters - suffix.count)) + suffix
    }
}
