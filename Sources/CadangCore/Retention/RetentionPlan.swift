import Foundation

/// What a retention policy keeps and removes, each newest first, as restic's `forget` lists them.
public struct RetentionPlan: Sendable, Equatable {
    /// A kept set with every reason that keeps it, in restic's words and order
    /// (`within 1m`, `daily snapshot`, `oldest monthly snapshot`, `weekly within 1y`, …).
    public struct Kept: Sendable, Equatable {
        /// The set's id.
        public var id: String
        /// The set's time.
        public var time: Date
        /// Why it stays; never empty.
        public var reasons: [String]

        /// Creates a kept entry.
        public init(id: String, time: Date, reasons: [String]) {
            self.id = id
            self.time = time
            self.reasons = reasons
        }
    }

    /// A set no rule keeps.
    public struct Removed: Sendable, Equatable {
        /// The set's id.
        public var id: String
        /// The set's time.
        public var time: Date

        /// Creates a removed entry.
        public init(id: String, time: Date) {
            self.id = id
            self.time = time
        }
    }

    /// The kept sets, newest first.
    public var keep: [Kept]
    /// The removed sets, newest first.
    public var remove: [Removed]

    /// Creates a plan.
    public init(keep: [Kept] = [], remove: [Removed] = []) {
        self.keep = keep
        self.remove = remove
    }

    /// Whether the plan removes every set (and there was at least one).
    public var removesEverything: Bool { keep.isEmpty && !remove.isEmpty }

    /// The usage error (exit 2) a caller stops with before acting on this plan: `rules` is empty,
    /// or the plan removes every set; `nil` when it may go ahead or `allowRemoveAll` is set.
    public func refusal(rules: RetentionRules, allowRemoveAll: Bool) -> CadangError? {
        guard !allowRemoveAll else { return nil }
        if rules.isEmpty {
            return CadangError(.usage, "the retention policy has no keep_* rule, so it would remove every set",
                               fix: "add a rule such as keep_last: 1, or pass --allow-remove-all")
        }
        if removesEverything {
            return CadangError(.usage, "the retention policy (\(rules)) would remove all \(remove.count) sets",
                               fix: "check the rules and the sets' times, or pass --allow-remove-all")
        }
        return nil
    }
}
