import CadangCore
import Foundation
import SinkTestKit

/// `folder-copy`: the kit's test whole-set sink. After each commit it copies the set's files into
/// `<path>/<set id>/` (written under a temporary name, then renamed, as a copy must appear whole).
/// Correct by default; its `flaw` option breaks it in one of the ways the kit must catch.
struct FolderCopySink: Sink {
    enum Flaw: String, CaseIterable {
        case none
        case writesNothing = "writes-nothing"
        case losesFile = "loses-file"
        case truncatesTable = "truncates-table"
    }

    static let descriptor = PluginDescriptor(kind: .sink, name: "folder-copy", summary: "Copies each committed set into a folder (the kit's test sink).", options: [
        OptionSpec("path", .path, required: true, doc: "The folder the copies go to."),
        OptionSpec("flaw", .choice(Flaw.allCases.map(\.rawValue)), default: .string("none"), doc: "The mistake it makes on purpose."),
    ])

    let folder: URL
    let flaw: Flaw

    init(configuration: PluginConfiguration) throws {
        guard let folder = configuration.path("path") else { throw CadangError(.usage, "folder-copy needs 'path'") }
        self.folder = folder
        flaw = Flaw(rawValue: configuration.options.string("flaw") ?? "none") ?? .none
    }

    func didCommit(_ set: BackupSet, warnings: WarningLog) throws {
        guard flaw != .writesNothing else { return }
        try FileSystem.makeDirectory(folder)
        let partial = folder.appendingPathComponent(set.id + ".partial", isDirectory: true)
        try FileSystem.makeDirectory(partial)
        var paths = [Manifest.fileName] + set.manifest.artifacts.map(\.path)
        if flaw == .losesFile { paths.removeLast() }
        for path in paths {
            var bytes = Array(try Data(contentsOf: set.directory.appendingPathComponent(path)))
            if flaw == .truncatesTable && path.hasSuffix(".kit") {
                // The bug: the last chunk of a large file is never flushed; here, the last 20 lines.
                let ends = bytes.indices.filter { bytes[$0] == 10 }
                bytes = Array(bytes[...ends[ends.count - 21]])
            }
            try FileSystem.writeAtomically(bytes, to: partial.appendingPathComponent(path))
        }
        try FileSystem.rename(partial, to: copy(of: set))
        try FileSystem.sync(folder)
    }

    func archivedCopies(of set: BackupSet) -> [URL] {
        FileSystem.exists(copy(of: set)) ? [copy(of: set)] : []
    }

    private func copy(of set: BackupSet) -> URL {
        folder.appendingPathComponent(set.id, isDirectory: true)
    }
}

/// Reads a `folder-copy` copy: every file in `<path>/<set id>/`, found by walking the folder.
struct FolderCopyReader: CopyReader {
    let folder: URL

    func files(inCopyOf set: BackupSet, listed: [URL]) throws -> [String: [UInt8]] {
        let copy = folder.appendingPathComponent(set.id, isDirectory: true)
        var files: [String: [UInt8]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: copy.path)) ?? [] {
            files[name] = Array(try Data(contentsOf: copy.appendingPathComponent(name)))
        }
        return files
    }
}
