/// A snapshot with something to tell about its run beyond its datasets (pos-orders: what the
/// ingest read, stored and rejected).
///
/// Contract: the engine asks for `runReport` once every dataset is written, before the set is
/// committed, and hands it to `RunOptions.report`; `cadang run` prints its line after the set's and
/// its `json` under the source's name in `--json`.
public protocol ReportingSnapshot: SourceSnapshot {
    /// What to tell, or `nil` for nothing.
    var runReport: SourceRunReport? { get }
}

/// What a source tells about one run.
public struct SourceRunReport: Sendable {
    /// One line for people, e.g. `pos: 5 read — 3 stored, 1 unchanged, 1 new versions, 0 rejected`.
    public var line: String
    /// The same for programs: one JSON object.
    public var json: any Encodable & Sendable

    /// Creates a report.
    public init(line: String, json: any Encodable & Sendable) {
        self.line = line
        self.json = json
    }
}
