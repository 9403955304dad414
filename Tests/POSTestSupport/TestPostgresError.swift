/// Why the throwaway server cannot be used.
public struct TestPostgresError: Error, CustomStringConvertible {
    /// What is wrong and what to do.
    public let description: String

    init(_ description: String) { self.description = description }
}
