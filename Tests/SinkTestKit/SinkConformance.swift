import CadangCore
import Foundation

/// The checks every sink must pass, whatever its format. A sink author calls one of the
/// `problems(of:…)` methods from a test, with a reader of their own for the format, and asserts
/// that the list is empty; each problem starts with what is wrong (`loses rows`, `drops a column`,
/// …), then says where and shows the evidence.
///
/// The checks:
/// - the declaration: a lowercase name, a one-line summary, documented options declared once;
/// - table sinks (`fileExtension` set): the kit runs real jobs through the real engine, sending
///   `KitTable.mixed` (every kind of value, the awkward ones included, 257 rows) in one batch and
///   in batches of 1, 7 and 64, `KitTable.single` (one column whose records can be empty) and
///   `KitTable.empty` (no rows); the author's `ExportReader` reads every export back and the kit
///   compares what it found with what was sent, value by value, for exactly the columns of the
///   sink's audience, in order. It also checks that the bytes do not depend on the batch
///   boundaries or differ between two runs, that the manifest's size and SHA-256 are the file's
///   (every byte went through the `ArtifactWriter`, or a file written by path was recorded with
///   `recordFileWrittenByPath()`), and that invalid UTF-8 was warned about;
/// - whole-set sinks (`fileExtension == nil`): the kit commits two real sets (a table written in
///   the kit's own format, a file dataset, the manifest) and the author's `CopyReader` returns the
///   files it finds in what the sink made of each; every file must be there with its exact bytes,
///   and the table's rows are read back from the copy and compared.
public struct SinkConformance {
    let harness: SinkHarness

    /// Checks run with this harness's scratch folder.
    public init(harness: SinkHarness) {
        self.harness = harness
    }

    /// Batch sizes `KitTable.mixed` is sent in; the first is the whole table in one batch.
    public static let batchSizes = [KitTable.mixed.rows.count, 1, 7, 64]

    /// Everything wrong with table sink type `S` built from `options`, its exports read back by
    /// `reader`; empty when it conforms.
    public func problems<S: Sink>(of type: S.Type, options: [String: OptionValue] = [:], reader: some ExportReader) -> [String] {
        var problems = declarationProblems(S.descriptor)
        var findings: [Finding] = []
        do {
            let probe = try harness.makeSink(type, options: options)
            guard let ext = probe.fileExtension else {
                return problems + ["writes no table exports (fileExtension is nil): check it with a CopyReader"]
            }
            if ext.isEmpty || ext.contains(".") || ext.contains("/") { problems.append("fileExtension '\(ext)' must be a plain word") }
            let plans: [(KitTable, [Int])] = [(.mixed, Self.batchSizes), (.single, [KitTable.single.rows.count, 1]), (.empty, [1])]
            for (table, sizes) in plans {
                var first: (bytes: [UInt8], run: String)?
                for size in sizes {
                    let run = size >= table.rows.count ? "one batch" : "batches of \(size)"
                    let export = try self.export(try harness.makeSink(type, options: options), table: table, batchSize: size, ext: ext)
                    let subject = "table '\(table.schema.name)'"
                    if export.artifact.bytes != Int64(export.bytes.count) {
                        findings.append(Finding(problem: "writes around the ArtifactWriter", subject: subject, runs: [run],
                                                detail: "the file has \(export.bytes.count) bytes, the manifest records \(export.artifact.bytes)"))
                    } else if export.artifact.sha256 != SHA256.hex(of: export.bytes) {
                        findings.append(Finding(problem: "writes around the ArtifactWriter", subject: subject, runs: [run],
                                                detail: "the file's SHA-256 is not the one the manifest records"))
                    }
                    if let first, first.bytes != export.bytes {
                        findings.append(Finding(problem: "depends on batch boundaries", subject: subject, runs: [run],
                                                detail: "the bytes differ from those of \(first.run)"))
                    }
                    if first == nil { first = (export.bytes, run) }
                    if table.rows.contains(where: { $0.contains { if case .invalid = $0 { true } else { false } } }) && export.warnings.isEmpty {
                        findings.append(Finding(problem: "warns about nothing", subject: subject, runs: [run],
                                                detail: "invalid UTF-8 in a text cell raised no warning"))
                    }
                    do {
                        let read = try reader.read(export.url)
                        findings += RoundTrip(table: table, audience: probe.audience, rules: reader.rules, subject: subject, run: run)
                            .findings(read, fileBytes: export.bytes.count)
                    } catch {
                        findings.append(Finding(problem: "cannot be read back", subject: subject, runs: [run], detail: "\(error)"))
                    }
                }
                if let first, table.keyColumn != nil, !table.rows.isEmpty {
                    let again = try self.export(try harness.makeSink(type, options: options), table: table, batchSize: table.rows.count, ext: ext)
                    if again.bytes != first.bytes {
                        findings.append(Finding(problem: "differs between runs", subject: "table '\(table.schema.name)'", runs: ["one batch"],
                                                detail: "the same rows gave other bytes on a second run"))
                    }
                }
            }
        } catch {
            problems.append("threw \(error)")
        }
        return problems + Finding.merged(findings)
    }

    /// Everything wrong with whole-set sink type `S` built from `options`, what it made of each
    /// committed set found by `copyReader`; empty when it conforms.
    public func problems<S: Sink>(of type: S.Type, options: [String: OptionValue] = [:], copyReader: some CopyReader) -> [String] {
        var problems = declarationProblems(S.descriptor)
        var findings: [Finding] = []
        do {
            let sink = try harness.makeSink(type, options: options)
            if let ext = sink.fileExtension {
                return problems + ["writes table exports (fileExtension '\(ext)'): check it with an ExportReader"]
            }
            let repository = try harness.makeRepository()
            let table = KitTable.mixed
            let file = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            for number in 1...2 {
                let subject = "the copy"
                let setName = "set \(number)"
                let run = try harness.run([KitTableSink(), sink], tables: [table], batchSize: 64, file: file, in: repository,
                                          time: Date(timeIntervalSince1970: 1_750_000_000 + Double(number) * 3600))
                let set = run.set
                let found: [String: [UInt8]]
                do {
                    found = try copyReader.files(inCopyOf: set, listed: sink.archivedCopies(of: set))
                } catch {
                    findings.append(Finding(problem: "cannot be read back", subject: subject, runs: [setName], detail: "\(error)"))
                    continue
                }
                if found.isEmpty {
                    findings.append(Finding(problem: "writes nothing", subject: subject, runs: [setName],
                                            detail: "no file of the set is in what the sink made"))
                    continue
                }
                findings += copyFindings(set: set, found: found, table: table, run: setName)
            }
        } catch {
            problems.append("threw \(error)")
        }
        return problems + Finding.merged(findings)
    }

    /// Compares the files found in a copy with the set's own, and reads the table back from it.
    private func copyFindings(set: BackupSet, found: [String: [UInt8]], table: KitTable, run: String) -> [Finding] {
        var findings: [Finding] = []
        func note(_ problem: String, _ detail: String) {
            findings.append(Finding(problem: problem, subject: "the copy", runs: [run], detail: detail))
        }
        let paths = [Manifest.fileName] + set.manifest.artifacts.map(\.path)
        for path in paths {
            let original = (try? Data(contentsOf: set.directory.appendingPathComponent(path))).map { Array($0) } ?? []
            guard let copy = found[path] else {
                note("loses files", "'\(path)' is not in the copy")
                continue
            }
            if copy != original { note("changes files", "'\(path)' differs from the set's (\(copy.count) bytes, the set's has \(original.count))") }
        }
        for path in found.keys.sorted() where !paths.contains(path) { note("adds files", "'\(path)' is not a file of the set") }

        let tablePath = set.manifest.artifacts.first { $0.format == KitTableSink.fileExtension }?.path ?? ""
        guard let bytes = found[tablePath] else {
            note("loses rows", "read back 0 of \(table.rows.count) rows: the table's file is not in the copy")
            return findings
        }
        do {
            findings += RoundTrip(table: table, audience: .everyone, rules: KitTableSink.rules, subject: "the copy's '\(tablePath)'", run: run)
                .findings(try KitTableSink.read(bytes), fileBytes: bytes.count)
        } catch {
            note("loses rows", "the table's file in the copy cannot be read back: \(error)")
        }
        return findings
    }

    /// Runs `table` through `sink` in a fresh repository and returns its export.
    private func export(_ sink: any Sink, table: KitTable, batchSize: Int, ext: String) throws -> SinkHarness.Export {
        let run = try harness.run([sink], tables: [table], batchSize: batchSize, in: try harness.makeRepository())
        guard let artifact = run.set.manifest.artifacts.first(where: { $0.dataset == table.schema.name && $0.format == ext }) else {
            throw CadangError(.failure, "the run made no .\(ext) artifact of table '\(table.schema.name)'")
        }
        let url = run.set.url(of: artifact)
        return SinkHarness.Export(url: url, bytes: Array(try Data(contentsOf: url)), warnings: run.warnings, artifact: artifact)
    }

    /// Problems with a plugin's declaration.
    private func declarationProblems(_ descriptor: PluginDescriptor) -> [String] {
        var problems: [String] = []
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
        return problems
    }
}
