import CadangCore
import Foundation

/// `ledger`: a transactional sink that writes outside the set — each table's row count into
/// `<path>/<set id>.rows` — visible only once the set is committed (tests only).
final class LedgerSink: TransactionalSink, @unchecked Sendable {
    static let descriptor = PluginDescriptor(
        kind: .sink, name: "ledger",
        summary: "Writes each table's row count outside the set, committed with the set (tests only).",
        options: [
            OptionSpec("path", .path, required: true, doc: "Folder for the committed counts."),
            OptionSpec("fail_commit", .boolean, default: .boolean(false), doc: "Throw when committing."),
        ])

    private let folder: URL
    private let failCommit: Bool
    private var setID: String?
    private var lines: [String] = []

    init(configuration: PluginConfiguration) throws {
        guard let folder = configuration.path("path") else { throw CadangError(.usage, "ledger sink needs a path") }
        self.folder = folder
        failCommit = configuration.options.bool("fail_commit") ?? false
    }

    var fileExtension: String? { "rows" }

    private var pending: URL { folder.appendingPathComponent("\(setID ?? "none").pending") }

    func beginRun(setID: String) throws {
        self.setID = setID
        lines = []
        try FileSystem.makeDirectory(folder)
    }

    func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        Counter(name: schema.name, artifact: artifact) { [self] line in lines.append(line) }
    }

    func prepareCommit() throws {
        try FileSystem.writeAtomically(Array(lines.joined().utf8), to: pending)
    }

    func commit() throws {
        if failCommit { throw LedgerSource.LedgerFailure(what: "committing the ledger sink") }
        try FileSystem.rename(pending, to: folder.appendingPathComponent("\(setID ?? "none").rows"))
    }

    func rollback() {
        try? FileSystem.remove(pending)
    }

    /// Counts a table's rows into the set's artifact and, at the end, the sink's pending lines.
    final class Counter: TableWriter {
        let name: String
        let artifact: ArtifactWriter
        let done: (String) -> Void
        var rows = 0

        init(name: String, artifact: ArtifactWriter, done: @escaping (String) -> Void) {
            self.name = name
            self.artifact = artifact
            self.done = done
        }

        func write(_ batch: RowBatch) throws { rows += batch.rowCount }

        func finish() throws {
            artifact.write("\(rows)\n")
            done("\(name) \(rows)\n")
        }
    }
}
