import CadangCore
import CArchive
import Foundation

/// Reads a set archive back and checks it against the manifest inside it, entry by entry, and
/// optionally writes the checked files into a fresh folder.
///
/// The archive must hold `<id>/manifest.json` first, then exactly the manifest's artifacts as
/// regular files under `<id>/`, each with the recorded size and SHA-256. Anything else — absolute
/// paths, `..`, links, devices, duplicates, unknown or missing files, sizes beyond those declared,
/// truncated or corrupt compression — makes it damaged (exit 4). Files are only ever created inside
/// the given folder, under names taken from the checked manifest.
public struct SetArchiveReader {
    /// What a checked archive holds.
    public struct Contents {
        /// The set's manifest, as stored in the archive.
        public var manifest: Manifest
        /// Artifacts checked.
        public var files: Int
        /// Bytes of the artifacts.
        public var bytes: Int64
    }

    /// The largest manifest accepted (a real one is a few kB per hundred artifacts).
    static let manifestLimit: Int64 = 16 << 20

    private let url: URL
    private let key: ArchiveKey?

    /// A reader of the archive at `url`; `key` opens it if it is encrypted.
    public init(url: URL, key: ArchiveKey? = nil) {
        self.url = url
        self.key = key
    }

    /// Reads the whole archive, checking every entry; with `folder` (which must be empty and
    /// private), writes `manifest.json` and every artifact into it.
    public func read(extractingInto folder: URL? = nil) throws -> Contents {
        guard FileSystem.exists(url) else {
            throw CadangError(.usage, "archive \(url.path) does not exist", fix: "check the path (is the drive mounted?)")
        }
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CadangError.system("open", url.path, errno: errno) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.pieceSize, alignment: 64)
        defer { buffer.deallocate() }
        let path = url.path
        let readPiece = { () throws -> UnsafeRawBufferPointer? in
            while true {
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw CadangError.system("read", path, errno: errno) }
                return count == 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[..<count])
            }
        }
        guard ArchiveKey.isEncrypted(url) else {
            return try StreamProof.check(.detect, extractingInto: folder, next: readPiece, failure: damaged).contents
        }
        guard let key else {
            throw CadangError(.usage, "archive \(url.path) is encrypted (age)", fix: "give its key with --identity KEY (the file 'cadang key generate' wrote)")
        }
        // Plaintext reaches the checks (and the folder) only chunk by chunk as each authenticates;
        // the caller moves nothing out of the folder unless the last chunk did too, which the
        // proof's read to the very end makes sure of.
        let decrypted = DecryptedPieces(key: key, url: url, capacity: Self.pieceSize, read: readPiece)
        defer { decrypted.deallocate() }
        return try StreamProof.check(.detect, extractingInto: folder, next: decrypted.next, failure: damaged).contents
    }

    /// Bytes read from the file at a time.
    static let pieceSize = 1 << 20

    /// The entry-by-entry checks of `read` over the tar reader `StreamProof` opened (over a file,
    /// or over the stream the writer is writing); `damaged` words the errors for the caller.
    static func check(_ archive: OpaquePointer, extractingInto folder: URL? = nil,
                      damaged: (String) -> CadangError) throws -> Contents {
        var manifest: Manifest?
        var setID = ""
        var expected: [String: Artifact] = [:]
        var seen: Set<String> = []
        var bytes: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            var entry: OpaquePointer?
            let code = archive_read_next_header(archive, &entry)
            if code == ARCHIVE_EOF { break }
            guard code == ARCHIVE_OK || code == ARCHIVE_WARN, let entry else { throw damaged(errorText(archive)) }
            let name = Self.pathname(entry)
            let type = archive_entry_filetype(entry) & EntryType.mask
            if archive_entry_hardlink(entry) != nil { throw damaged("entry '\(name)' is a hard link") }
            guard type == EntryType.regular else { throw damaged("entry '\(name)' is a \(EntryType.describe(type)), not a file") }
            guard let (id, relative) = Self.split(name) else { throw damaged("entry '\(name)' has an unsafe or unexpected path") }
            let declared = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : -1

            guard manifest != nil else {
                // The first entry: the manifest, which says what every other entry must be.
                guard relative == Manifest.fileName, SetID.isValid(id) else {
                    throw damaged("the first entry is '\(name)', not <set id>/manifest.json")
                }
                guard declared >= 0, declared <= Self.manifestLimit else { throw damaged("its manifest is \(declared) bytes") }
                var data: [UInt8] = []
                try readData(archive, limit: declared, name: name, into: &buffer, damaged: damaged) { data.append(contentsOf: $0) }
                guard let decoded = try? JSONDecoder().decode(Manifest.self, from: Data(data)), decoded.id == id,
                      decoded.format == Manifest.currentFormat
                else { throw damaged("its manifest.json is not a valid manifest of set \(id)") }
                for artifact in decoded.artifacts {
                    guard Self.isSafe(artifact.path), artifact.path != Manifest.fileName, expected[artifact.path] == nil else {
                        throw damaged("its manifest lists an unsafe or repeated path '\(artifact.path)'")
                    }
                    expected[artifact.path] = artifact
                }
                if let folder { try Self.write(data, to: folder.appendingPathComponent(Manifest.fileName)) }
                manifest = decoded
                setID = id
                continue
            }

            guard id == setID else { throw damaged("entry '\(name)' is outside the set's folder \(setID)/") }
            guard let artifact = expected[relative] else { throw damaged("entry '\(name)' is not in the manifest") }
            guard seen.insert(relative).inserted else { throw damaged("entry '\(name)' appears twice") }
            guard declared == artifact.bytes else {
                throw damaged("entry '\(name)' declares \(declared) bytes; the manifest says \(artifact.bytes)")
            }
            let digest = SHA256()
            let file = try folder.map { try Self.create($0, relative) }
            defer { if let file { close(file.fd) } }
            try readData(archive, limit: artifact.bytes, name: name, into: &buffer, damaged: damaged) { chunk in
                digest.update(chunk)
                if let file { try FileSystem.writeAll(file.fd, chunk, path: file.path) }
            }
            guard digest.finalizeHex() == artifact.sha256 else {
                throw damaged("\(relative) does not match its SHA-256 in the manifest")
            }
            if let file, fsync(file.fd) != 0 { throw CadangError.system("write", file.path, errno: errno) }
            bytes += artifact.bytes
        }
        guard let manifest else { throw damaged("it holds no manifest") }
        let missing = Set(expected.keys).subtracting(seen)
        guard missing.isEmpty else { throw damaged("it lacks \(missing.sorted().joined(separator: ", "))") }
        if let folder { try FileSystem.sync(folder) }
        return Contents(manifest: manifest, files: seen.count, bytes: bytes)
    }

    /// Reads the current entry's data, refusing more than `limit` bytes.
    private static func readData(_ archive: OpaquePointer, limit: Int64, name: String, into buffer: inout [UInt8],
                                 damaged: (String) -> CadangError, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var total: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { throw damaged("entry '\(name)': \(errorText(archive))") }
            total += Int64(count)
            guard total <= limit else { throw damaged("entry '\(name)' holds more data than declared") }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        guard total == limit else { throw damaged("entry '\(name)' is cut short (\(total) of \(limit) bytes)") }
    }

    private func damaged(_ reason: String) -> CadangError {
        CadangError(.damaged, "archive \(url.path) is damaged or unsafe: \(reason)",
                    fix: "use another copy; nothing was restored from this one")
    }

    static func errorText(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "it ends early or its compression is corrupt"
    }

    private static func pathname(_ entry: OpaquePointer) -> String {
        if let utf8 = archive_entry_pathname_utf8(entry) { return String(cString: utf8) }
        return archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
    }

    /// `<id>/<relative path>` → (id, relative), when every component is safe.
    static func split(_ name: String) -> (String, String)? {
        guard let slash = name.firstIndex(of: "/") else { return nil }
        let id = String(name[..<slash])
        let relative = String(name[name.index(after: slash)...])
        guard isSafe(id), isSafe(relative) else { return nil }
        return (id, relative)
    }

    /// A relative path of plain components: no leading `/`, no `.` or `..`, no empty part, no NUL
    /// or backslash.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// Creates `folder/relative` (and its parent folders, 0700) without following links.
    private static func create(_ folder: URL, _ relative: String) throws -> (fd: Int32, path: String) {
        let target = folder.appendingPathComponent(relative)
        try FileSystem.makeDirectory(target.deletingLastPathComponent())
        let fd = open(target.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CadangError.system("create", target.path, errno: errno) }
        return (fd, target.path)
    }

    private static func write(_ bytes: [UInt8], to url: URL) throws {
        let file = try create(url.deletingLastPathComponent(), url.lastPathComponent)
        defer { close(file.fd) }
        try FileSystem.writeAll(file.fd, bytes, path: file.path)
        guard fsync(file.fd) == 0 else { throw CadangError.system("write", file.path, errno: errno) }
    }
}
