/// SQL as error messages show it: one line, cut short, and with the literal after `PASSWORD`
/// masked, since `CREATE ROLE … PASSWORD '…'` takes no parameters and so must carry it inline.
enum PostgresStatementText {
    static func shown(_ sql: String, limit: Int = 160) -> String {
        var text = PostgresError.oneLine(sql)
        text = masked(text)
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// Each `PASSWORD '…'` (any case, `''` escapes included) as `PASSWORD '***'`.
    private static func masked(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        var index = 0
        while index < characters.count {
            let rest = characters[index...]
            if rest.count >= 8, String(rest.prefix(8)).lowercased() == "password" {
                output += String(rest.prefix(8))
                index += 8
                var probe = index
                while probe < characters.count, characters[probe] == " " { probe += 1 }
                // A string constant, plain or E'…'; its end is the first quote not doubled
                // (and, for E'…', not backslashed).
                var escaped = false
                if probe < characters.count, characters[probe] == "E" || characters[probe] == "e",
                   probe + 1 < characters.count, characters[probe + 1] == "'" {
                    escaped = true
                    probe += 1
                }
                guard probe < characters.count, characters[probe] == "'" else { continue }
                probe += 1
                while probe < characters.count {
                    if escaped, characters[probe] == "\\" { probe += 2; continue }
                    if characters[probe] == "'" {
                        if probe + 1 < characters.count, characters[probe + 1] == "'" { probe += 2; continue }
                        break
                    }
                    probe += 1
                }
                output += " '***'"
                index = min(probe + 1, characters.count)
            } else {
                output.append(characters[index])
                index += 1
            }
        }
        return output
    }
}
