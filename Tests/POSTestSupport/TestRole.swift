/// A login role made for one test in the throwaway server.
public struct TestRole: Sendable {
    /// The role's name.
    public let name: String
    /// A connection string for the role into its database, without any password.
    public let conninfo: String
}
