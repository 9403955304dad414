import AgeSupport
import CadangCore
import Foundation

/// The private key(s) that open encrypted archives: an age identity file (`--identity KEY`), plain
/// (`age-keygen`'s form) or passphrase-protected (what `cadang key generate` writes).
public struct ArchiveKey: Sendable {
    let identities: [AgeIdentity]
    /// The file the key came from.
    public let file: URL

    /// The public keys (`age1…`) these identities open archives for.
    public var recipients: [String] { identities.map(\.recipient.description) }

    /// Reads `file`; `passphrase` is asked only when the file is passphrase-protected.
    public init(file: URL, passphrase: () throws -> String) throws {
        self.file = file
        guard FileSystem.exists(file) else {
            throw CadangError(.usage, "key file \(file.path) does not exist", fix: "give the key's path with --identity (e.g. on its second drive)")
        }
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: file))
        } catch {
            throw CadangError(.failure, "cannot read key file \(file.path)", fix: "check its permissions")
        }
        do {
            identities = try AgeIdentityFile.parse(bytes, passphrase: passphrase)
        } catch let error as CadangError {
            throw error
        } catch AgeError.wrongPassphrase {
            throw CadangError(.failure, "the passphrase of key file \(file.path) is wrong; nothing was read", fix: "type the passphrase written on the recovery card")
        } catch {
            throw CadangError(.usage, "\(file.path) is not an age key file (\(error))",
                              fix: "give the file 'cadang key generate' wrote (or an age-keygen identity file)")
        }
    }

    /// Whether one of these identities opens the header of the age file at `url`; reads the header only.
    public func opens(_ url: URL) throws -> Bool {
        do {
            return try AgeDecryptor.canOpenHeader(of: url, identities: identities)
        } catch let error as AgeError {
            throw ArchiveKey.damaged(url, error)
        }
    }

    /// An age failure while reading the archive at `url`, as the error the user sees.
    static func damaged(_ url: URL, _ error: AgeError) -> CadangError {
        switch error {
        case .noMatchingIdentity:
            CadangError(.failure, "the key does not open archive \(url.path): it was encrypted to other keys",
                        fix: "use a key whose public key is among the encrypt: recipients when the archive was made")
        case .io(let why):
            CadangError(.failure, "cannot read archive \(url.path): \(why)")
        default:
            CadangError(.damaged, "archive \(url.path) is damaged or was tampered with (\(error))")
        }
    }

    /// Whether the file at `url` starts as an age file does.
    public static func isEncrypted(_ url: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        let intro = Array("age-encryption.org/".utf8)
        let head = (try? handle.read(upToCount: intro.count)) ?? Data()
        return Array(head) == intro
    }
}
