import CadangCore
import Foundation

/// The checks every table sink must pass, whatever its format. A sink author calls
/// `SinkConformance(harness:).problems(of: MySink.self)` from a test and asserts the list is empty.
public struct SinkConformance {
    let harness: SinkHarness

    /// Checks run with this harness's scratch folder.
    public init(harness: SinkHarness) {
        self.harness = harness
    }

    /// Rows with every kind of value, including the awkward ones.
    public static let awkwardRows: [[TestValue]] = {
        let texts: [TestValue] = [.text(""), .text("a,b"), .text("\"q\""), .text("line\nbreak\r\n"), .text("🛒 e\u{301}"),
                                  .text("=1+1"), .text("\u{2028}\u{2029}"), .text("\u{0}\u{1f}"), .invalid([0x41, 0xFF], repaired: "A\u{FFFD}")]
        let numbers: [TestValue] = [.integer(.min), .integer(.max), .integer(0), .real(-0.0), .real(1e-300), .real(0.1), .real(44000)]
        var rows: [[TestValue]] = []
        for i in 0..<40 {
            rows.append([.integer(Int64(i)), texts[i % texts.count], numbers[i % numbers.count],
                         i % 5 == 0 ? .null : .blob([UInt8(i), 0, 255])])
        }
        return rows
    }()

    /// The columns of `awkwardRows`, one per audience.
    public static let columns = [Column("id", title: "ID", kind: .integer), Column("text", title: "Text"),
                                 Column("number", title: "Number", audience: .programs), Column("data", title: "Data", audience: .people)]

    /// Everything wrong with sink type `S` built from `options`; empty when it conforms.
    public func problems<S: Sink>(of type: S.Type, options: [String: OptionValue] = [:]) -> [String] {
        var problems: [String] = []
        let descriptor = S.descriptor
        if descriptor.kind != .sink { problems.append("descriptor.kind is \(descriptor.kind), not sink") }
        if descriptor.name.isEmpty || descriptor.name.contains(where: { $0.isWhitespace || $0.isUppercase }) {
            problems.append("descriptor.name '\(descriptor.name)' must be a lowercase word")
        }
        if descriptor.summary.isEmpty || descriptor.summary.contains("\n") { problems.append("descriptor.summary must be one line") }
        var seen: Set<String> = []
        for option in descriptor.options {
            if !seen.insert(option.name).inserted { problems.append("option '\(option.name)' is declared twice") }
            if option.doc.isEmpty { problems.append("option '\(option.name)' has no doc") }
            if option.isRequired && option.defaultValue != nil { problems.append("option '\(option.name)' is required but has a default") }
        }
        do {
            let sink = try harness.makeSink(type, options: options)
            guard let ext = sink.fileExtension else { return problems }
            if ext.isEmpty || ext.contains(".") || ext.contains("/") { problems.append("fileExtension '\(ext)' must be a plain word") }

            let whole = try harness.export(sink, columns: Self.columns, rows: Self.awkwardRows, batchSize: Self.awkwardRows.count)
            for size in [1, 7] {
                let split = try harness.export(try harness.makeSink(type, options: options), columns: Self.columns,
                                               rows: Self.awkwardRows, batchSize: size)
                if split.bytes != whole.bytes { problems.append("output differs when rows arrive in batches of \(size)") }
            }
            let again = try harness.export(try harness.makeSink(type, options: options), columns: Self.columns,
                                           rows: Self.awkwardRows, batchSize: Self.awkwardRows.count)
            if again.bytes != whole.bytes { problems.append("the same rows give different output on a second run") }
            if whole.artifact.bytes != Int64(whole.bytes.count) { problems.append("bytes were written around the ArtifactWriter") }
            if whole.artifact.rows != Self.awkwardRows.count { problems.append("row count not recorded") }
            if whole.warnings.isEmpty { problems.append("invalid UTF-8 in a text cell raised no warning") }

            let empty = try harness.export(try harness.makeSink(type, options: options), columns: Self.columns, batches: [])
            if empty.artifact.rows != 0 { problems.append("an empty table is not recorded with 0 rows") }
            let emptyBatch = try harness.export(try harness.makeSink(type, options: options), columns: Self.columns, batches: [[]])
            if emptyBatch.bytes != empty.bytes { problems.append("an empty batch changes the output") }
        } catch {
            problems.append("threw \(error)")
        }
        return problems
    }
}
