import ArchiveSupport
import CadangCore

extension TarGzSink {
    /// The level must suit the compression (its range depends on which one), and the keep_* rules
    /// must be rules.
    public static func check(_ options: PluginOptions) -> [OptionProblem] {
        var problems = RetentionRules.problems(in: options)
        let compression = ArchiveCompression(rawValue: options.string("compression") ?? "gzip") ?? .gzip
        if let level = options.integer("level"), !compression.levels.contains(Int(level)) {
            problems.append(OptionProblem(option: "level", "is \(level), out of range for \(compression.rawValue)",
                                          fix: "use \(compression.levels.lowerBound)–\(compression.levels.upperBound)"))
        }
        return problems
    }
}
