import AgeSupport
import CadangCore
import Foundation

/// The public keys (age X25519 recipients, `age1…`) that archives are encrypted to. Only public
/// keys live on the shop computer, so unattended runs need no secret and a stolen computer or
/// drive opens nothing.
public struct ArchiveRecipients: Sendable {
    let keys: [AgeRecipient]

    /// The recipients in their canonical `age1…` form.
    public var names: [String] { keys.map(\.description) }

    /// Parses `recipients` and the lines of `file` (one `age1…` per line; `#` comments and blank
    /// lines allowed, as in age's own recipients files). `origin` names where they came from in errors.
    public init(recipients: [String], file: URL?, origin: String) throws {
        var parsed: [AgeRecipient] = []
        for text in recipients {
            parsed.append(try Self.parse(text, at: origin))
        }
        if let file {
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw CadangError(.usage, "\(origin): cannot read the recipients file \(file.path)",
                                  fix: "check the path; it holds one age1… public key per line")
            }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
                parsed.append(try Self.parse(trimmed, at: "\(file.path):\(index + 1)"))
            }
        }
        guard !parsed.isEmpty else {
            throw CadangError(.usage, "\(origin): encrypt needs at least one recipient",
                              fix: "add 'recipients: [age1…]' (the line 'cadang key generate' shows) or 'recipients_file: FILE'")
        }
        var seen: Set<AgeRecipient> = []
        keys = parsed.filter { seen.insert($0).inserted }
    }

    private static func parse(_ text: String, at origin: String) throws -> AgeRecipient {
        do {
            return try AgeRecipient(text)
        } catch {
            // Other age recipient kinds (ssh keys, plugins, post-quantum `age1pq1…`) are valid for
            // age but not here: say so rather than "not a key".
            if text.hasPrefix("ssh-") || (text.hasPrefix("age1") && text.dropFirst(4).contains("1")) {
                throw CadangError(.usage, "\(origin): '\(text.prefix(12))…' is not an age X25519 public key; only age1… keys are supported",
                                  fix: "make a key with 'cadang key generate' (or age-keygen) and use its age1… line")
            }
            throw CadangError(.usage, "\(origin): '\(text.prefix(16))…' is not an age public key (\(error))",
                              fix: "copy the whole age1… line that 'cadang key generate' printed")
        }
    }
}
