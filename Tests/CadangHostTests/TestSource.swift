import CadangCore

/// A minimal source for config tests: declares options of every type.
struct TestSource: Source {
    static let descriptor = PluginDescriptor(
        kind: .source, name: "test", summary: "A source for config tests.",
        options: [
            OptionSpec("database", .path, required: true, doc: "The database file."),
            OptionSpec("count", .integer, default: .integer(3), doc: "How many."),
            OptionSpec("ratio", .number, doc: "A ratio."),
            OptionSpec("strict", .boolean, default: .boolean(false), doc: "Be strict."),
            OptionSpec("timeout", .duration, default: .duration(5), doc: "How long to wait."),
            OptionSpec("mode", .choice(["fast", "safe"]), default: .string("safe"), doc: "How to read."),
            OptionSpec("tables", .stringList, doc: "Which tables."),
            OptionSpec("keys", .stringMap, doc: "Key per table."),
            OptionSpec("password", .string, secret: true, doc: "A secret."),
            OptionSpec("pin", .integer, secret: true, doc: "A secret number."),
        ])

    init(configuration: PluginConfiguration) throws {}

    func open(_ request: SourceRequest) throws -> any SourceSnapshot {
        throw CadangError(.failure, "not for running")
    }
}
