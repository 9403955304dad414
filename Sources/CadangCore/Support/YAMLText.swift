import Foundation

/// Text for YAML files cadang writes (starter configs): values that read back exactly, comments
/// that stay comments.
public enum YAMLText {
    /// A YAML double-quoted scalar that reads back as exactly `text` through the config loader:
    /// `\` and `"` escaped, control and line-separator characters as `\u` escapes, and every `$`
    /// doubled, because the loader expands `${VAR}` and reads `$$` as one `$`.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "$": out += "$$"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
                    || value == 0x2028 || value == 0x2029 || value == 0xFEFF {
                    out += String(format: "\\u%04X", value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Text safe inside a one-line `#` comment.
    public static func comment(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF ? "?" : scalar
        }))
    }
}
