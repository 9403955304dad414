import Yams

/// Turns libyaml's errors into diagnostics with a hint for the usual mistakes.
enum YAMLSyntax {
    static func diagnostic(for error: YamlError, file: String, text: String) -> ConfigDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            let position = SourcePosition(line: mark.line, column: mark.column)
            if character(at: position, in: text) == "\t" || (problem.contains("tab")) {
                return ConfigDiagnostic(file: file, position: position, message: "YAML syntax error: a tab character is used for indentation",
                                        hint: "indent with spaces only")
            }
            return ConfigDiagnostic(file: file, position: position, message: "YAML syntax error: \(problem)",
                                    hint: "check the indentation and the ':' after each key on this or the previous line")
        case .reader(let problem, _, _, _):
            return ConfigDiagnostic(file: file, position: .start, message: "cannot read the YAML: \(problem)", hint: "save the file as UTF-8")
        default:
            return ConfigDiagnostic(file: file, position: .start, message: "YAML error: \(error)")
        }
    }

    private static func character(at position: SourcePosition, in text: String) -> Character? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line >= 1, position.line <= lines.count else { return nil }
        let scalars = Array(lines[position.line - 1].unicodeScalars)
        guard position.column >= 1, position.column <= scalars.count else { return nil }
        return Character(scalars[position.column - 1])
    }
}
