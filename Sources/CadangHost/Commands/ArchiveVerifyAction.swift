import ArchiveSupport
import CadangCore
import Foundation

/// `cadang verify --archive FILE`: reads a set archive (e.g. from a USB drive) and checks every
/// entry against the manifest inside it, and the archive against its `.sha256` file when there is
/// one. Needs no config and no repository: it is for the day the computer died. An encrypted
/// archive is opened with `--identity KEY`; without it, only its ciphertext is checked against
/// the `.sha256` (which needs no key, so a drive can be checked on a computer that holds none).
public struct ArchiveVerifyAction {
    /// The archive.
    public var archive: String
    /// `--identity`: the key file that opens an encrypted archive.
    public var identity: String?
    /// `--json`.
    public var json: Bool

    /// Creates the action.
    public init(archive: String, identity: String? = nil, json: Bool) {
        self.archive = archive
        self.identity = identity
        self.json = json
    }

    struct Report: Encodable {
        var archive: String
        var status: String
        var id: String?
        var job: String?
        var time: String?
        var files: Int?
        var bytes: Int64?
        var sha256File: Bool
        /// age-encrypted.
        var encrypted: Bool
        /// Whether the entries were read and checked (false: an encrypted archive without its key).
        var contentsChecked: Bool
        var problem: String?
    }

    /// Verifies; exit 4 when the archive is damaged or unsafe.
    public func execute(in session: Session) throws -> ExitStatus {
        let url = URL(fileURLWithPath: (archive as NSString).expandingTildeInPath).standardizedFileURL
        var report = Report(archive: url.path, status: "ok", sha256File: false, encrypted: ArchiveKey.isEncrypted(url), contentsChecked: false)
        do {
            if report.encrypted && identity == nil {
                // Without the key, the bytes against their `.sha256` are all there is to check.
                report.sha256File = try checkSidecar(url)
                guard report.sha256File else {
                    throw CadangError(.usage, "\(url.path) is encrypted and has no .sha256 beside it: nothing can be checked without the key",
                                      fix: "give the key with --identity KEY, or copy the archive's .sha256 next to it")
                }
            } else {
                let contents = try SetArchiveReader(url: url, key: try ArchiveKey.load(identity)).read()
                report.contentsChecked = true
                report.id = contents.manifest.id
                report.job = contents.manifest.job
                report.time = contents.manifest.time
                report.files = contents.files
                report.bytes = contents.bytes
                report.sha256File = try checkSidecar(url)
            }
        } catch let error as CadangError where error.status == .damaged {
            report.status = "damaged"
            report.problem = error.message
        }
        if json {
            try JSONOutput.print(report)
        } else if let problem = report.problem {
            session.say("\(url.path): DAMAGED — \(problem)")
        } else if !report.contentsChecked {
            session.say("\(url.path): ok — encrypted; its bytes match its .sha256 (give --identity KEY to check the set inside)")
        } else {
            session.say("\(url.path): ok — set \(report.id ?? "?") of job '\(report.job ?? "?")' (\(report.time ?? "?")), "
                + "\(report.files ?? 0) file(s), \(ByteCount.format(report.bytes ?? 0)) match the manifest"
                + (report.sha256File ? "; the archive matches its .sha256" : ""))
        }
        return report.status == "ok" ? .success : .damaged
    }

    /// Compares the archive with `<archive>.sha256` (sha256sum's format) when that file exists.
    private func checkSidecar(_ url: URL) throws -> Bool {
        let sidecar = URL(fileURLWithPath: url.path + ".sha256")
        guard let text = try? String(contentsOf: sidecar, encoding: .utf8) else { return false }
        let expected = text.split(separator: " ").first.map(String.init) ?? ""
        let (digest, _) = try FileSystem.sha256(of: url)
        guard digest == expected else {
            throw CadangError(.damaged, "archive \(url.path) is damaged or unsafe: its SHA-256 differs from \(sidecar.lastPathComponent)")
        }
        return true
    }
}
