import CadangCore
import Foundation

/// `ledger`: a source that keeps records between runs in its state folder, as an order store does —
/// each run adds `count` entries tagged with its set id, and an entry counts only once a set of
/// that id is listed. It adds an operation to every generic verb, so the end-to-end tests can prove
/// the host's capabilities (operations and their options, source state, record rules, errors)
/// without a real order store.
struct LedgerSource: OperatingSource {
    static let descriptor = PluginDescriptor(
        kind: .source, name: "ledger",
        summary: "Keeps numbered entries between runs in its state folder (tests only).",
        options: [
            OptionSpec("count", .integer, default: .integer(1), range: 0...1000, doc: "Entries each run adds."),
            OptionSpec("fail", .choice(["none", "open", "commit", "build"]), default: .string("none"),
                       doc: "Throw an error that is not a CadangError when opened, when preparing the commit, or when built."),
        ],
        operations: [
            OperationSpec(.verify, summary: "Counts the entries and those of sets that are not listed.",
                          options: [OptionSpec("strict", .boolean, default: .boolean(false), doc: "Exit 4 when an entry belongs to no listed set.")],
                          locking: .none),
            OperationSpec(.stats, summary: "Entries per set.",
                          options: [OptionSpec("top", .integer, default: .integer(10), range: 1...100, doc: "Sets to show.")],
                          locking: .none),
            OperationSpec(.prune, summary: "Removes entries older than the record rule (or --older-than).",
                          options: [OptionSpec("older_than", .duration, doc: "Overrides the policy's records.older_than.")],
                          locking: .host),
            OperationSpec(.restore, summary: "Says which entries a restore would bring back.", locking: .operation),
        ])

    /// A plugin's own error type, as a library might throw: the host must still report it as one line.
    struct LedgerFailure: Error {
        var what: String
    }

    let count: Int
    let fail: String

    init(configuration: PluginConfiguration) throws {
        count = Int(configuration.options.integer("count") ?? 1)
        fail = configuration.options.string("fail") ?? "none"
        if fail == "build" { throw LedgerFailure(what: "building the ledger") }
    }

    func open(_ request: SourceRequest) throws -> any SourceSnapshot {
        if fail == "open" { throw LedgerFailure(what: "opening the ledger") }
        return try LedgerSnapshot(source: self, request: request)
    }

    /// One stored entry: `<set id> <number> <unix time>`.
    struct Entry {
        var set: String
        var number: Int
        var time: Double
    }

    static func file(in state: SourceState) -> URL { state.directory.appendingPathComponent("entries.txt") }

    /// Every stored entry, listed or not.
    static func entries(in state: SourceState) -> [Entry] {
        guard let text = try? String(contentsOf: file(in: state), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, let number = Int(parts[1]), let time = Double(parts[2]) else { return nil }
            return Entry(set: String(parts[0]), number: number, time: time)
        }
    }

    func perform(_ verb: OperationVerb, context: OperationContext) throws -> OperationResult {
        let all = Self.entries(in: context.state)
        let listed = Set(context.repository.sets().map(\.id))
        let counted = all.filter { listed.contains($0.set) }
        switch verb {
        case .verify:
            let orphans = all.count - counted.count
            context.output.say("ledger \(context.source): \(counted.count) entries, \(orphans) of unlisted sets")
            let strict = context.options.bool("strict") ?? false
            return OperationResult(status: strict && orphans > 0 ? .damaged : .success,
                                   report: ["entries": counted.count, "orphans": orphans])
        case .stats:
            let top = Int(context.options.integer("top") ?? 10)
            let bySet = Dictionary(grouping: counted, by: \.set).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }.prefix(top)
            for (set, n) in bySet { context.output.say("\(set)  \(n)") }
            return OperationResult(report: StatsReport(total: counted.count, bySet: bySet.map { .init(set: $0.0, entries: $0.1) }))
        case .prune:
            guard let olderThan = context.options.duration("older_than") ?? context.recordRules?.olderThan else {
                context.output.say("ledger \(context.source): no record rule; nothing removed")
                return OperationResult(report: ["removed": 0, "kept": all.count])
            }
            let cutoff = Date().timeIntervalSince1970 - olderThan
            let keep = all.filter { $0.time >= cutoff }
            if !context.dryRun {
                let text = keep.map { "\($0.set) \($0.number) \($0.time)\n" }.joined()
                try FileSystem.writeAtomically(Array(text.utf8), to: Self.file(in: context.state))
            }
            context.output.say("ledger \(context.source): \(context.dryRun ? "would remove" : "removed") \(all.count - keep.count), kept \(keep.count)")
            return OperationResult(report: ["removed": all.count - keep.count, "kept": keep.count])
        case .restore:
            context.output.say("ledger \(context.source): \(counted.count) entries would come back")
            return OperationResult(report: ["entries": counted.count])
        }
    }

    struct StatsReport: Encodable, Sendable {
        struct Row: Encodable, Sendable {
            var set: String
            var entries: Int
        }
        var total: Int
        var bySet: [Row]
        enum CodingKeys: String, CodingKey { case total, bySet = "by_set" }
    }
}

/// One run of the ledger: the new entries are made durable in `prepareCommit`, tagged with the set id.
final class LedgerSnapshot: CommittingSnapshot {
    private let source: LedgerSource
    private let request: SourceRequest
    private let previous: Int
    private var emitted = false
    private var appendedAt: UInt64?

    init(source: LedgerSource, request: SourceRequest) throws {
        self.source = source
        self.request = request
        previous = LedgerSource.entries(in: request.state).map(\.number).max() ?? 0
    }

    var description: String { "ledger in \(request.state.directory.path)" }

    func nextDataset() throws -> Dataset? {
        guard !emitted else { return nil }
        emitted = true
        let rows = (0..<source.count).map { Int64(previous + 1 + $0) }
        return .table(NumberTable(name: "entries", numbers: rows))
    }

    func prepareCommit() throws {
        if source.fail == "commit" { throw LedgerSource.LedgerFailure(what: "preparing the ledger") }
        _ = try request.state.prepare()
        let file = LedgerSource.file(in: request.state)
        let fd = open(file.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CadangError.system("create", file.path, errno: errno) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
        defer { Glibc.close(fd) }
        appendedAt = try handle.seekToEnd()
        let now = request.time.timeIntervalSince1970
        let text = (0..<source.count).map { "\(request.setID) \(previous + 1 + $0) \(now)\n" }.joined()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
    }

    func abandon() {
        // Entries of an unlisted set never count; cutting them off only keeps the file small.
        guard let appendedAt, let handle = try? FileHandle(forWritingTo: LedgerSource.file(in: request.state)) else { return }
        try? handle.truncate(atOffset: appendedAt)
        try? handle.close()
    }

    func close() {}
}

/// A one-column table of numbers.
final class NumberTable: TableReader {
    let schema: TableSchema
    private var numbers: ArraySlice<Int64>

    init(name: String, numbers: [Int64]) {
        schema = TableSchema(name: name, columns: [Column("number", title: "Number", kind: .integer)])
        self.numbers = numbers[...]
    }

    func read(into batch: inout RowBatch) throws -> Bool {
        while let number = numbers.first, !batch.isFull {
            batch.append(number)
            numbers = numbers.dropFirst()
        }
        return !numbers.isEmpty
    }
}
