/// What one ingest read and did (`run --json`'s `"pos"`, README "Commands").
struct IngestReport: Encodable, Sendable, Equatable {
    /// One item that was not stored.
    struct Rejection: Encodable, Sendable, Equatable {
        var file: String
        /// The item's 0-based index in its file; nil when the whole file was refused.
        var item: Int?
        var reason: String
    }

    var read = 0
    var stored = 0
    var unchanged = 0
    var newVersions = 0
    var rejected: [Rejection] = []
    /// Files not parsed again because they did not change since they were read.
    var skippedFiles = 0
    /// Whether an order was stored or given a new version (verify looks at those after a run).
    var changedOrders: Bool { stored + newVersions > 0 }

    enum CodingKeys: String, CodingKey {
        case read, stored, unchanged, rejected
        case newVersions = "new_versions"
        case skippedFiles = "unchanged_files"
    }

    /// `pos: N read — S stored, U unchanged, V new versions, R rejected`.
    func line(source: String) -> String {
        "\(source): \(read) read — \(stored) stored, \(unchanged) unchanged, \(newVersions) new versions, \(rejected.count) rejected"
    }

    mutating func count(_ status: IngestStatus) {
        switch status {
        case .stored: stored += 1
        case .unchanged: unchanged += 1
        case .newVersion: newVersions += 1
        }
    }
}
