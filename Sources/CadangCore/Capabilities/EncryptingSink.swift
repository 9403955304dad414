/// A sink whose copies only a private key the computer does not hold can open (e.g. age-encrypted
/// archives on a drive).
///
/// Contract: `recipients` are the public keys every copy it makes from now on is encrypted to, in
/// the form the key tools print (`age1…`); `archivedCopies(of:)` lists those copies. The host uses
/// them to prove, now and then, that a key kept elsewhere still opens the newest copy
/// (`cadang key check`), and warns on `run` when that proof is missing or old: a backup nobody
/// can open is no backup.
public protocol EncryptingSink: Sink {
    /// The public keys its copies are encrypted to; empty when it does not encrypt.
    var recipients: [String] { get }
}
