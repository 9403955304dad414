/// How a set archive is compressed.
public enum ArchiveCompression: String, Sendable, CaseIterable {
    /// Independent gzip members (libdeflate), readable by any gzip reader.
    case gzip
    /// Zstandard (libarchive's filter over libzstd).
    case zstd
    /// A plain tar file.
    case none

    /// The file name ending: `.tar.gz`, `.tar.zst`, `.tar`.
    public var fileExtension: String {
        switch self {
        case .gzip: ".tar.gz"
        case .zstd: ".tar.zst"
        case .none: ".tar"
        }
    }

    /// The level used when the config names none (gzip's and zstd's usual defaults).
    public var defaultLevel: Int {
        switch self {
        case .gzip: 6
        case .zstd: 3
        case .none: 0
        }
    }

    /// Levels each compressor accepts.
    public var levels: ClosedRange<Int> {
        switch self {
        case .gzip: 1...12
        case .zstd: 1...19
        case .none: 0...0
        }
    }
}
