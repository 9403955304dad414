import Foundation

/// A committed set: its manifest and where its files are.
public struct BackupSet: Sendable {
    /// The set's manifest.
    public var manifest: Manifest
    /// The set's folder.
    public var directory: URL

    /// Creates a set value.
    public init(manifest: Manifest, directory: URL) {
        self.manifest = manifest
        self.directory = directory
    }

    /// The set's id.
    public var id: String { manifest.id }
    /// The job that made it.
    public var job: String { manifest.job }
    /// The set's time.
    public var time: Date { Timestamp.parse(manifest.time) ?? .distantPast }
    /// Total bytes of its artifacts.
    public var totalBytes: Int64 { manifest.artifacts.reduce(0) { $0 + $1.bytes } }
    /// The absolute location of an artifact.
    public func url(of artifact: Artifact) -> URL { directory.appendingPathComponent(artifact.path) }
}
