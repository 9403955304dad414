/// One file of a set as the manifest describes it.
public struct Artifact: Codable, Sendable, Equatable {
    /// Path relative to the set's folder.
    public var path: String
    /// The dataset it holds, e.g. `produk`.
    public var dataset: String
    /// `csv`, `json`, `jsonl`, `sqlite`, …
    public var format: String
    /// Size in bytes.
    public var bytes: Int64
    /// Rows, for table exports.
    public var rows: Int?
    /// SHA-256 of the file, lowercase hex.
    public var sha256: String
    /// The plugin that wrote it, which `verify` asks to check its format; absent in older manifests.
    public var plugin: String?

    /// Creates an entry.
    public init(path: String, dataset: String, format: String, bytes: Int64, rows: Int?, sha256: String, plugin: String? = nil) {
        self.path = path
        self.dataset = dataset
        self.format = format
        self.bytes = bytes
        self.rows = rows
        self.sha256 = sha256
        self.plugin = plugin
    }
}
