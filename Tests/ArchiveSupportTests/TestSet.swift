import ArchiveSupport
import CadangCore
import Foundation

/// A set folder for the archive tests: a manifest and files of pseudo-random text, and a way to
/// pack it the way the targz sink does.
struct TestSet {
    let id: String
    let manifest: Manifest
    let directory: URL

    /// The time every entry is recorded with.
    static let time = Date(timeIntervalSince1970: 1_790_000_000)

    /// Files of these sizes in `folder`, drawn from the first `letters` lowercase letters with `seed`
    /// (fewer letters compress better).
    init(in folder: URL, sizes: [Int], seed: UInt64, letters: UInt64) throws {
        id = SetID.make(time: Self.time)
        directory = folder.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var state = seed
        var artifacts: [Artifact] = []
        for (index, size) in sizes.enumerated() {
            var bytes = [UInt8](repeating: 0, count: size)
            for i in 0..<size {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes[i] = UInt8(ascii: "a") + UInt8((state >> 59) % letters)
            }
            let name = "file\(index).csv"
            try Data(bytes).write(to: directory.appendingPathComponent(name))
            artifacts.append(Artifact(path: name, dataset: "t\(index)", format: "csv", bytes: Int64(size), rows: nil,
                                      sha256: SHA256.hex(of: bytes)))
        }
        manifest = Manifest(id: id, job: "auto", time: "2026-09-21T12:26:40+00:00", created: "2026-09-21T12:26:40+00:00",
                            tool: "test", sources: [], artifacts: artifacts, warnings: [])
        try Data(try manifest.encoded()).write(to: directory.appendingPathComponent(Manifest.fileName))
    }

    /// Adds the manifest, then every artifact, to `writer`, as the targz sink lays a set out.
    func add(to writer: SetArchiveWriter) throws {
        try writer.add(bytes: Array(try Data(contentsOf: directory.appendingPathComponent(Manifest.fileName))),
                       as: "\(id)/\(Manifest.fileName)", modified: Self.time)
        for artifact in manifest.artifacts {
            try writer.add(file: directory.appendingPathComponent(artifact.path), as: "\(id)/\(artifact.path)",
                           size: artifact.bytes, modified: Self.time)
        }
    }
}
