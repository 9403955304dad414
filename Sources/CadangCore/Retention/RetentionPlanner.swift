// Mirrors restic's `ApplyPolicy` as read in github.com/restic/restic, internal/data/snapshot_policy.go
// at commit 13cb18f8ad846a974542efce775618b2f039762b (with the "oldest" rule restic added in 0.17),
// its spans from internal/data/duration.go at 1adcb79ae2daaba0c01def89b619198c6d865614, its golden
// files internal/data/testdata/policy_keep_snapshots_* and doc/060_forget.rst. restic's `--keep-tag`
// and `unique` have no counterpart here (sets carry no tags or trees).
import Foundation

/// Plans which sets a retention policy keeps, exactly as restic's `forget` decides.
///
/// Sets are walked newest first (equal times keep their input order, restic's stable sort). For each:
/// - `keep_within` keeps it when its time is after the newest set that is not in the future (before
///   `now`) minus the span; when every set is in the future, every set is within.
/// - each count rule that still has count left (or is `-1`) keeps it when its bucket differs from the
///   bucket of the last set that rule kept, and spends one count. Buckets are the wall clock in
///   `timeZone`: hourly `YYYYMMDDHH`, daily `YYYYMMDD`, weekly ISO `YYYYWW`, monthly `YYYYMM`,
///   yearly `YYYY`; `keep_last` gives every set its own bucket.
/// - each `keep_within_*` rule does the same for sets within its span, with no count.
/// - the oldest set: a count rule that gets to it with count left, or a `keep_within_*` rule whose
///   span reaches it, keeps it even in an already-kept bucket, as `oldest daily snapshot` or
///   `oldest daily within 7d` (restic 0.17), so a young repository keeps its history.
public enum RetentionPlanner {
    /// The plan for `sets` (any order); see the type's notes for the rules.
    public static func plan(_ sets: [(id: String, time: Date)], rules: RetentionRules,
                            timeZone: TimeZone = .current, now: Date = Date()) -> RetentionPlan {
        let order = sets.indices.sorted { a, b in
            sets[a].time != sets[b].time ? sets[a].time > sets[b].time : a < b
        }
        // restic's reference for every span: the newest set not in the future. With none, restic's
        // zero time makes every set "within", hence minus infinity.
        let latest = sets.lazy.map(\.time).filter { $0 < now }.max()
        func start(of span: RetentionSpan) -> Date? {
            guard !span.isZero else { return nil }
            guard let latest else { return Date(timeIntervalSince1970: -.infinity) }
            return span.start(from: latest, in: timeZone)
        }
        let withinStart = start(of: rules.keepWithin)

        var counts = [
            CountRule(count: rules.keepLast, bucket: nil, reason: "last snapshot"),
            CountRule(count: rules.keepHourly, bucket: .hour, reason: "hourly snapshot"),
            CountRule(count: rules.keepDaily, bucket: .day, reason: "daily snapshot"),
            CountRule(count: rules.keepWeekly, bucket: .week, reason: "weekly snapshot"),
            CountRule(count: rules.keepMonthly, bucket: .month, reason: "monthly snapshot"),
            CountRule(count: rules.keepYearly, bucket: .year, reason: "yearly snapshot"),
        ].filter { $0.count > 0 || $0.count == RetentionRules.unlimited }
        var spans = [
            (rules.keepWithinHourly, Bucket.hour, "hourly"), (rules.keepWithinDaily, .day, "daily"),
            (rules.keepWithinWeekly, .week, "weekly"), (rules.keepWithinMonthly, .month, "monthly"),
            (rules.keepWithinYearly, .year, "yearly"),
        ].compactMap { span, bucket, word in
            start(of: span).map { SpanRule(start: $0, bucket: bucket, reason: "\(word) within \(span)") }
        }
        let needsClock = counts.contains { $0.bucket != nil } || !spans.isEmpty

        var plan = RetentionPlan()
        plan.keep.reserveCapacity(order.count)
        for (position, index) in order.enumerated() {
            let (id, time) = sets[index]
            let isOldest = position == order.count - 1
            let clock = needsClock ? CivilTime(time, in: timeZone) : nil
            var reasons: [String] = []

            if let withinStart, time > withinStart { reasons.append("within \(rules.keepWithin)") }

            for i in counts.indices where counts[i].count != 0 {
                let value = counts[i].bucket.map { $0.key(clock!) } ?? position
                guard value != counts[i].last || isOldest else { continue }
                reasons.append(value == counts[i].last ? "oldest " + counts[i].reason : counts[i].reason)
                counts[i].last = value
                if counts[i].count > 0 { counts[i].count -= 1 }
            }

            for i in spans.indices where time > spans[i].start {
                let value = spans[i].bucket.key(clock!)
                guard value != spans[i].last || isOldest else { continue }
                reasons.append(value == spans[i].last ? "oldest " + spans[i].reason : spans[i].reason)
                spans[i].last = value
            }

            if reasons.isEmpty {
                plan.remove.append(RetentionPlan.Removed(id: id, time: time))
            } else {
                plan.keep.append(RetentionPlan.Kept(id: id, time: time, reasons: reasons))
            }
        }
        return plan
    }

    /// A calendar bucket.
    private enum Bucket {
        case hour, day, week, month, year

        func key(_ clock: CivilTime) -> Int {
            switch self {
            case .hour: clock.hourKey
            case .day: clock.dayKey
            case .week: clock.weekKey
            case .month: clock.monthKey
            case .year: clock.year
            }
        }
    }

    /// A `keep_*` count rule as it walks the sets; a `nil` bucket is `keep_last`'s one-per-set.
    private struct CountRule {
        var count: Int
        var bucket: Bucket?
        var reason: String
        var last: Int?
    }

    /// A `keep_within_*` rule as it walks the sets.
    private struct SpanRule {
        var start: Date
        var bucket: Bucket
        var reason: String
        var last: Int?
    }
}
