import Foundation

/// Reads something worth keeping and emits datasets from one consistent view of it.
public protocol Source: Plugin {
    /// Opens one consistent view (e.g. a database snapshot) restricted to `request.datasets`.
    func open(_ request: SourceRequest) throws -> any SourceSnapshot
}

/// What the engine asks of a source for one run.
public struct SourceRequest: Sendable {
    /// Datasets the job wants, or `nil` for all of them.
    public var datasets: Set<String>?
    /// The set's time (e.g. for a "Backup Date" column).
    public var time: Date
    /// A private folder on the repository's filesystem for file datasets.
    public var scratchDirectory: URL
    /// Collects warnings for the manifest and the exit status.
    public var warnings: WarningLog
    /// The id the set will have once committed (state written during the run is tagged with it).
    public var setID: String
    /// The source's own folder in the repository, for sources that keep records between runs.
    public var state: SourceState

    /// Creates a request.
    public init(datasets: Set<String>?, time: Date, scratchDirectory: URL, warnings: WarningLog, setID: String, state: SourceState) {
        self.datasets = datasets
        self.time = time
        self.scratchDirectory = scratchDirectory
        self.warnings = warnings
        self.setID = setID
        self.state = state
    }

    /// Whether the job wants `dataset`.
    public func wants(_ dataset: String) -> Bool {
        datasets?.contains(dataset) ?? true
    }
}

/// One consistent view of a source, emitting datasets one at a time.
public protocol SourceSnapshot: AnyObject {
    /// One line for the manifest, e.g. the database path and its size.
    var description: String { get }
    /// The next dataset, or `nil` when all are emitted. A table must be read to its end (or
    /// abandoned) before the next call.
    func nextDataset() throws -> Dataset?
    /// A digest of the whole view's content, equal exactly when the content is (e.g. `sha256:…` of
    /// a database snapshot); `nil` when the source cannot tell. Asked only by policies that need it.
    func fingerprint() throws -> String?
    /// Releases the view (closes connections, removes temporary files).
    func close()
}

extension SourceSnapshot {
    public func fingerprint() throws -> String? { nil }
}
