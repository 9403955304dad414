/// One broken rule about a plugin's options, as `check(_:)` reports it; the config check prints it
/// at the named option's position (or the component's, when `option` is nil).
public struct OptionProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option the problem is about, if one.
    public var option: String?
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var fix: String?

    /// Creates a problem.
    public init(option: String?, _ message: String, fix: String? = nil) {
        self.option = option
        self.message = message
        self.fix = fix
    }

    /// `message (fix)`.
    public var description: String { fix.map { "\(message) (\($0))" } ?? message }
}
