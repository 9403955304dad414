import ArchiveSupport
import Foundation

extension ArchiveKey {
    /// The key file an `--identity` option names (nil without one); its passphrase, if it has
    /// one, is asked as `Passphrase.ask` does.
    static func load(_ path: String?) throws -> ArchiveKey? {
        guard let path else { return nil }
        let file = RestoreAction.url(path)
        return try ArchiveKey(file: file, passphrase: { try Passphrase.ask(for: file) })
    }
}
