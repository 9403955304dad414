import Foundation

/// One unit a source emits: a table streamed in batches, or a file already written to scratch space.
public enum Dataset {
    case table(any TableReader)
    case file(FileDataset)

    /// The dataset's name, e.g. `produk` or `database`.
    public var name: String {
        switch self {
        case .table(let reader): reader.schema.name
        case .file(let file): file.name
        }
    }
}

/// Streams a table's rows. Implementations fill the caller's batch so no row allocates.
public protocol TableReader: AnyObject {
    /// The table's columns.
    var schema: TableSchema { get }
    /// Appends up to `batch.capacity` rows to the (emptied) batch; returns false once no rows are left.
    func read(into batch: inout RowBatch) throws -> Bool
}

/// A file dataset (e.g. a database snapshot) the source wrote under the run's scratch folder; the
/// core moves it into the set as it is.
public struct FileDataset: Sendable {
    /// Dataset name, e.g. `database`.
    public var name: String
    /// File name inside the set, e.g. `kasir.db`.
    public var fileName: String
    /// Format recorded in the manifest, e.g. `sqlite`.
    public var format: String
    /// Where the source wrote the file; must be inside `SourceRequest.scratchDirectory`.
    public var url: URL
    /// Rows, if the format has a meaningful count.
    public var rows: Int?
    /// The file's SHA-256 (hex) when the source already read it whole (e.g. for a fingerprint), so
    /// the core need not read it again; the file must not change after it was hashed.
    public var sha256: String?

    /// Creates a file dataset.
    public init(name: String, fileName: String, format: String, url: URL, rows: Int? = nil, sha256: String? = nil) {
        self.name = name
        self.fileName = fileName
        self.format = format
        self.url = url
        self.rows = rows
        self.sha256 = sha256
    }
}
