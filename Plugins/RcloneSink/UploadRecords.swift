import CadangCore
import Foundation

/// The archives this sink has copied to its remote and verified there: one small JSON file per
/// archive, `<archive name>.json`, in the folder the engine gives it (`copies/<sink>/` in the
/// repository). One file each, written atomically, so a crash mid-run loses at most the record of
/// the upload in progress — which the next run then finds on the remote, checks and records.
struct UploadRecords {
    /// One verified copy.
    struct Record: Codable {
        /// The archive's file name.
        var archive: String
        /// Its job and set.
        var job: String
        var set: String
        /// The remote as logs show it (no parameters), and a digest of the whole remote text: a
        /// record counts only for the remote it was made for.
        var remote: String
        var remoteID: String
        /// What was verified there.
        var sha256: String
        var bytes: Int64
        /// When its copy was last verified by hash (RFC 3339).
        var verified: String

        enum CodingKeys: String, CodingKey {
            case archive, job, set, remote, remoteID = "remote_id", sha256, bytes, verified
        }
    }

    let folder: URL
    private let remote: RcloneRemote
    private(set) var records: [String: Record] = [:]

    /// The records of `job` for `remote` in `folder`.
    init(folder: URL, remote: RcloneRemote, job: String) {
        self.folder = folder
        self.remote = remote
        let id = Self.remoteID(remote)
        for name in FileSystem.contents(of: folder) where name.hasSuffix(".json") && !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                  let record = try? JSONDecoder().decode(Record.self, from: data),
                  record.job == job, record.remoteID == id, name == record.archive + ".json" else { continue }
            records[record.archive] = record
        }
    }

    /// Whether `archive` has a verified copy on the remote.
    func contains(_ archive: String) -> Bool {
        records[archive] != nil
    }

    /// Records a verified copy (or a fresh verification of an earlier one).
    mutating func add(archive: String, set: BackupSet, sha256: String, bytes: Int64) throws {
        let record = Record(archive: archive, job: set.job, set: set.id, remote: remote.display, remoteID: Self.remoteID(remote),
                            sha256: sha256, bytes: bytes, verified: Timestamp.rfc3339(Date(), timeZone: TimeZone(identifier: "UTC") ?? .current))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileSystem.writeAtomically(Array(try encoder.encode(record)) + [UInt8(ascii: "\n")],
                                       to: folder.appendingPathComponent(archive + ".json"))
        records[archive] = record
    }

    /// Forgets a copy (pruned from the remote, or found damaged or gone there).
    mutating func remove(_ archive: String) throws {
        guard records.removeValue(forKey: archive) != nil else { return }
        try FileSystem.remove(folder.appendingPathComponent(archive + ".json"))
        try FileSystem.sync(folder)
    }

    /// Forgets the copies of sets no longer in the repository: their archives are no longer
    /// offered, so their records would only pile up.
    mutating func keepOnly(sets ids: Set<String>) throws {
        for (archive, record) in records where !ids.contains(record.set) { try remove(archive) }
    }

    /// The `count` records whose copies were verified longest ago.
    func stalest(_ count: Int) -> [Record] {
        func time(_ record: Record) -> Date { Timestamp.parse(record.verified) ?? .distantPast }
        return Array(records.values.sorted { (time($0), $0.archive) < (time($1), $1.archive) }.prefix(count))
    }

    private static func remoteID(_ remote: RcloneRemote) -> String {
        String(SHA256.hex(of: Array(remote.spec.utf8)).prefix(16))
    }
}
