/// A policy that says how long a job keeps its sets (and, for sources that keep records, its
/// records); `cadang prune` finds a job's rules through it.
public protocol RetentionProviding: Policy {
    /// The set rules.
    var retentionRules: RetentionRules { get }
    /// The record rules (`records: {older_than, states}`), if the policy has them.
    var recordRules: RecordRules? { get }
}

/// Which records a source that keeps records may delete: older than a span, in some states.
public struct RecordRules: Sendable, Equatable {
    /// Records whose own date is older than this many seconds before now.
    public var olderThan: Double
    /// Only records in these states; `nil` for the source's default.
    public var states: [String]?

    /// Creates record rules.
    public init(olderThan: Double, states: [String]?) {
        self.olderThan = olderThan
        self.states = states
    }
}
