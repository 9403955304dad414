import ArchiveSupport
import CadangCore

extension TarGzSink {
    /// The level must suit the compression (its range depends on which one), the keep_* rules
    /// must be rules, and encrypt: must name public keys (its recipients_file is read when built).
    public static func check(_ options: PluginOptions) -> [OptionProblem] {
        var problems = RetentionRules.problems(in: options)
        let compression = ArchiveCompression(rawValue: options.string("compression") ?? "gzip") ?? .gzip
        if let level = options.integer("level"), !compression.levels.contains(Int(level)) {
            problems.append(OptionProblem(option: "level", "is \(level), out of range for \(compression.rawValue)",
                                          fix: "use \(compression.levels.lowerBound)–\(compression.levels.upperBound)"))
        }
        if let encrypt = options.group("encrypt", specs: encryptSpecs) {
            let listed = encrypt.list("recipients") ?? []
            if listed.isEmpty && encrypt.string("recipients_file") == nil {
                problems.append(OptionProblem(option: "encrypt", "names no public key",
                                              fix: "add 'recipients: [age1…]' (the line 'cadang key generate' shows) or 'recipients_file: FILE'"))
            }
            for recipient in listed {
                do {
                    _ = try ArchiveRecipients(recipients: [recipient], file: nil, origin: "encrypt")
                } catch let error as CadangError {
                    problems.append(OptionProblem(option: "encrypt", error.message, fix: error.fix))
                } catch {}
            }
        }
        return problems
    }
}
