/// One problem in a config file, reported as `FILE:LINE:COL: message; hint`.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The config file as the user named it.
    public var file: String
    /// Where the problem is.
    public var position: SourcePosition
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String?

    /// Creates a diagnostic.
    public init(file: String, position: SourcePosition, message: String, hint: String? = nil) {
        self.file = file
        self.position = position
        self.message = message
        self.hint = hint
    }

    /// One line, like a compiler's.
    public var description: String {
        let head = "\(file):\(position.line):\(position.column): \(message)"
        guard let hint else { return head }
        return "\(head); \(hint)"
    }
}

/// Every problem found in a config file (exit status 2).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var diagnostics: [ConfigDiagnostic]

    /// Creates the error.
    public init(_ diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics.sorted { $0.position < $1.position }
    }

    /// One line per problem.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
