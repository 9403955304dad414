import Yams

/// Turns libyaml's errors into diagnostics with a hint for the usual mistakes.
enum YAMLSyntax {
    static func diagnostic(for error: YamlError, file: String, text: String) -> ConfigDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let position = SourcePosition(line: mark.line, column: mark.column)
            let lines = Lines(text)
            if lines.character(at: position) == "\t" || (problem.contains("tab")) {
                return ConfigDiagnostic(file: file, position: position, message: "YAML syntax error: a tab character is used for indentation",
                                        hint: "indent with spaces only")
            }
            if let context, let unclosed = unclosed(context: context, problem: problem, at: position, in: lines) {
                return ConfigDiagnostic(file: file, position: unclosed.position, message: "YAML syntax error: \(unclosed.message)",
                                        hint: unclosed.hint)
            }
            return ConfigDiagnostic(file: file, position: position, message: "YAML syntax error: \(problem)",
                                    hint: "check the indentation and the ':' after each key on this or the previous line")
        case .reader(let problem, _, _, _):
            return ConfigDiagnostic(file: file, position: .start, message: "cannot read the YAML: \(problem)", hint: "save the file as UTF-8")
        default:
            return ConfigDiagnostic(file: file, position: .start, message: "YAML error: \(error)")
        }
    }

    private struct Unclosed {
        var position: SourcePosition
        var message: String
        var hint: String
    }

    /// A quote, `{` or `[` that is never closed, told at the character that opened it.
    ///
    /// libyaml notices only where it gives up (often the end of the file, or the next key of the
    /// block around it), which is far from the mistake; its context mark is the opening character.
    private static func unclosed(context: YamlError.Context, problem: String, at problemPosition: SourcePosition,
                                 in lines: Lines) -> Unclosed? {
        let opened = SourcePosition(line: context.mark.line, column: context.mark.column)
        switch (context.text, lines.character(at: opened)) {
        case ("while scanning a quoted scalar", let quote?) where quote == "\"" || quote == "'":
            // Its only other problem is a `---`/`...` line inside the quotes: the same unclosed quote.
            guard problem.contains("end of stream") || problem.contains("document indicator") else { return nil }
            let escaped = quote == "\"" ? "\\\"" : "''"
            return Unclosed(position: opened,
                            message: "a quoted value that is never closed: the \(quote) opened here has no closing \(quote)",
                            hint: "add the closing \(quote) (a \(quote) inside the value is written \(escaped))")
        case ("while parsing a flow mapping", "{"):
            guard ranPastEnd(openedAt: opened, problemAt: problemPosition, in: lines) else { return nil }
            return Unclosed(position: opened, message: "a mapping that is never closed: the { opened here has no closing }",
                            hint: "add the } after its last entry, with ',' between entries")
        case ("while parsing a flow sequence", "["):
            guard ranPastEnd(openedAt: opened, problemAt: problemPosition, in: lines) else { return nil }
            return Unclosed(position: opened, message: "a list that is never closed: the [ opened here has no closing ]",
                            hint: "add the ] after its last item, with ',' between items")
        default:
            return nil
        }
    }

    /// Whether libyaml ran past where the `{`/`[` should have ended: to the end of the file, or to a
    /// later line indented no deeper than the opening one (the next key of the block around it).
    /// A problem on the opening line or on a deeper line is a wrong or missing separator inside
    /// the collection (`[x }`, a missing ','), and is best told where libyaml found it.
    private static func ranPastEnd(openedAt opened: SourcePosition, problemAt problem: SourcePosition, in lines: Lines) -> Bool {
        if lines.isBlank(from: problem) { return true }
        guard problem.line > opened.line else { return false }
        return lines.indentation(of: problem.line) <= lines.indentation(of: opened.line)
    }

    /// The text as lines of Unicode scalars, the way libyaml counts lines and columns.
    private struct Lines {
        let lines: [[Unicode.Scalar]]

        init(_ text: String) {
            // "\r\n" is one Character; splitting scalars at "\n" keeps every line break and leaves a "\r" at most.
            lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        }

        func character(at position: SourcePosition) -> Character? {
            guard position.line >= 1, position.line <= lines.count else { return nil }
            let line = lines[position.line - 1]
            guard position.column >= 1, position.column <= line.count else { return nil }
            return Character(line[position.column - 1])
        }

        /// Leading spaces of a line.
        func indentation(of line: Int) -> Int {
            guard line >= 1, line <= lines.count else { return 0 }
            return lines[line - 1].prefix(while: { $0 == " " }).count
        }

        /// Whether nothing but white space follows `position` (the end-of-file mark is past the text).
        func isBlank(from position: SourcePosition) -> Bool {
            guard position.line >= 1 else { return false }
            let rest = lines.dropFirst(position.line - 1).enumerated().flatMap { index, line in
                index == 0 ? Array(line.dropFirst(max(position.column - 1, 0))) : line
            }
            return rest.allSatisfy { $0.properties.isWhitespace }
        }
    }
}
