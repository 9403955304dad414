import CadangCore

/// `json`: one JSON array file per table, or JSON Lines.
public struct JSONSink: Sink {
    public static let descriptor = PluginDescriptor(
        kind: .sink, name: "json",
        summary: "Writes each table as a JSON array of objects, or as JSON Lines (one object per line).",
        options: [
            OptionSpec("format", .choice(["array", "lines"]), default: .string("array"),
                       doc: "array: one JSON array per file (.json); lines: one object per line (.jsonl)."),
        ])

    let lines: Bool

    public init(configuration: PluginConfiguration) throws {
        lines = configuration.options.string("format") == "lines"
    }

    public var fileExtension: String? { lines ? "jsonl" : "json" }
    public var audience: Column.Audience { .programs }

    public func makeTableWriter(schema: TableSchema, artifact: ArtifactWriter, warnings: WarningLog) throws -> any TableWriter {
        JSONTableWriter(schema: schema, lines: lines, artifact: artifact, warnings: warnings)
    }
}
