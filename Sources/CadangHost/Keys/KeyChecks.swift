import CadangCore
import Foundation
import Logging

/// When each archive key last proved, with `cadang key check`, that it opens the newest encrypted
/// archive: `key-checks.json` in the repository, by public key. `run` warns when a key of an
/// encrypting sink has no such proof, or one older than `maximumAge`.
struct KeyChecks {
    /// One proof.
    struct Check: Codable {
        /// RFC 3339, UTC.
        var checked: String
        /// The archive whose header the key opened.
        var archive: String
    }

    /// Older proofs than this draw a warning (ops §3: 90 days).
    static let maximumAge: Double = 90 * 86_400

    let file: URL
    private(set) var checks: [String: Check]

    /// Reads the record of `repository` (empty when there is none yet).
    init(repository: Repository) {
        file = repository.url.appendingPathComponent("key-checks.json")
        checks = (try? Data(contentsOf: file)).flatMap { try? JSONDecoder().decode([String: Check].self, from: $0) } ?? [:]
    }

    /// Records that the key of `recipient` opened `archive` at `time`, durably.
    mutating func record(_ recipient: String, archive: URL, at time: Date) throws {
        checks[recipient] = Check(checked: Self.format(time), archive: archive.path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileSystem.writeAtomically(Array(try encoder.encode(checks)) + [UInt8(ascii: "\n")], to: file)
    }

    /// Of `recipients`, those with no proof, or none since `maximumAge` before `now`.
    func overdue(_ recipients: [String], now: Date) -> [String] {
        recipients.filter { recipient in
            guard let check = checks[recipient], let time = Self.parse(check.checked) else { return true }
            return now.timeIntervalSince(time) > Self.maximumAge
        }
    }

    /// Warns about the keys of `job`'s encrypting sinks that have no recent proof.
    func warnOverdue(_ job: Job, logger: Logger, now: Date = Date()) {
        for sink in job.sinks {
            guard let recipients = (sink.component as? any EncryptingSink)?.recipients, !recipients.isEmpty else { continue }
            let late = overdue(recipients, now: now)
            guard !late.isEmpty else { continue }
            logger.warning("sink '\(sink.name)': no 'cadang key check' in the last 90 days for \(late.map(Self.short).joined(separator: ", ")); an archive nobody can open is no backup — run 'cadang key check --identity KEY' with each key from its second drive")
        }
    }

    static func format(_ time: Date) -> String {
        ISO8601DateFormatter().string(from: time)
    }

    static func parse(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text)
    }

    /// A public key as logs show it: enough to tell keys apart.
    static func short(_ recipient: String) -> String {
        recipient.count > 16 ? "\(recipient.prefix(10))…\(recipient.suffix(6))" : recipient
    }
}
