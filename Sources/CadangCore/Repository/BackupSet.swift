import Foundation

/// A committed set: its manifest and where its files are.
public struct BackupSet: Sendable {
    /// The set's manifest.
    public let manifest: Manifest
    /// The set's folder.
    public let directory: URL
    /// The set's time (parsed once: listing and retention compare it many times per set).
    public let time: Date

    /// Creates a set value.
    public init(manifest: Manifest, directory: URL) {
        self.manifest = manifest
        self.directory = directory
        time = Timestamp.parse(manifest.time) ?? .distantPast
    }

    /// The set's id.
    public var id: String { manifest.id }
    /// The job that made it.
    public var job: String { manifest.job }
    /// Total bytes of its artifacts.
    public var totalBytes: Int64 { manifest.artifacts.reduce(0) { $0 + $1.bytes } }
    /// The absolute location of an artifact.
    public func url(of artifact: Artifact) -> URL { directory.appendingPathComponent(artifact.path) }
}
