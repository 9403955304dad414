/// SQL identifiers (schema, table and column names) for statements that cannot take them as
/// parameters: quoted, so that a name from a dataset can never end the identifier early.
public enum PostgresIdentifier {
    /// The longest identifier the server keeps: it silently truncates longer ones (NAMEDATALEN - 1 bytes).
    public static let maxBytes = 63

    /// `name` as a quoted identifier (`"a""b"` for `a"b`), which keeps its case and every character.
    public static func quoted(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// Whether `name` can be used as an identifier at all: not empty, no NUL, at most `maxBytes`
    /// bytes (a longer name would be truncated into another table's name).
    public static func isUsable(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maxBytes && !name.utf8.contains(0)
    }

    /// Whether `name` needs no quoting (lowercase letters, digits, underscores, not starting with
    /// a digit, at most `maxBytes`): such a name reads the same quoted or not, so it can be spliced.
    public static func isPlain(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) || first == "_", name.utf8.count <= maxBytes else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
