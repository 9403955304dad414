import AgeSupport
import CadangCore
import Foundation

/// `cadang key generate [--out FILE]`: makes an age key pair for encrypted archives. The private
/// key goes into a passphrase-protected age file (which stock `age -d -i FILE` opens), meant for a
/// second drive, not this computer; the public key is printed on a recovery card with the config
/// line that makes the `targz` sink encrypt to it.
public struct KeyGenerateAction {
    /// Where the key file goes; default `cadang-key-<date>.age` in the current folder.
    public var output: String?
    /// `--json`.
    public var json: Bool

    /// Creates the action.
    public init(output: String?, json: Bool) {
        self.output = output
        self.json = json
    }

    struct Report: Encodable {
        var keyFile: String
        var recipient: String
        var created: String
    }

    /// Writes the key file; refuses to replace an existing one.
    public func execute(in session: Session) throws -> ExitStatus {
        let now = Date()
        let day = String(KeyChecks.format(now).prefix(10))
        let url = RestoreAction.url(output ?? "cadang-key-\(day).age")
        guard !FileSystem.exists(url) else {
            throw CadangError(.usage, "\(url.path) already exists; no key was written",
                              fix: "choose another name with --out (a key file is never replaced: archives may need it)")
        }
        guard FileSystem.exists(url.deletingLastPathComponent()) else {
            throw CadangError(.usage, "folder \(url.deletingLastPathComponent().path) does not exist; no key was written",
                              fix: "plug in and mount the key drive, or choose another --out")
        }
        let passphrase = try Passphrase.choose()
        let identity = AgeIdentity.generate()
        let recipient = identity.recipient.description
        let sealed: [UInt8]
        do {
            sealed = try AgeIdentityFile.seal([identity], comment: ["created: \(KeyChecks.format(now))", "public key: \(recipient)"],
                                              passphrase: passphrase)
        } catch {
            throw CadangError(.failure, "could not seal the key: \(error)")
        }
        try FileSystem.writeAtomically(sealed, to: url, mode: 0o600)
        if json {
            try JSONOutput.print(Report(keyFile: url.path, recipient: recipient, created: KeyChecks.format(now)))
            return .success
        }
        print(RecoveryCard(recipient: recipient, created: day, keyFile: url.lastPathComponent).text)
        print("""

        Wrote the private key, protected by the passphrase, to \(url.path).
        Copy it to a second drive (or two), then delete it from this computer. Recommended: a second
        key for a trusted person, so the backups open even when one key is lost.

        Add this to the targz sink in \(session.configPath) (with every key's public key):
          encrypt: { recipients: [\(recipient)] }
        Then prove the key opens the archives, now and every 90 days:
          cadang key check --identity \(url.lastPathComponent)
        """)
        return .success
    }
}
