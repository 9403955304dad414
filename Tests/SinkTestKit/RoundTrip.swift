import CadangCore
import Foundation

/// One thing wrong with a sink, found in one or more runs (batch sizes, sets) of one table.
struct Finding: Equatable {
    /// The problem in a few words, e.g. `loses rows`; what the kit's tests look for.
    var problem: String
    /// Which table (or set) it was found in.
    var subject: String
    /// The runs it was found in, e.g. `batches of 7`.
    var runs: [String]
    /// The evidence.
    var detail: String

    /// Findings that differ only by run become one, listing every run, so a sink broken the same
    /// way at every batch size reads as one problem.
    static func merged(_ findings: [Finding]) -> [String] {
        var merged: [Finding] = []
        for finding in findings {
            if let index = merged.firstIndex(where: { $0.problem == finding.problem && $0.subject == finding.subject && $0.detail == finding.detail }) {
                merged[index].runs += finding.runs.filter { !merged[index].runs.contains($0) }
            } else {
                merged.append(finding)
            }
        }
        return merged.map { "\($0.problem) (\($0.subject), \($0.runs.joined(separator: ", "))): \($0.detail)" }
    }
}

/// What a reader must find for one value sent.
enum Expectation: CustomStringConvertible {
    /// Exactly this value.
    case exact(ReadValue)
    /// Text that `Double(_:)` parses to exactly these bits.
    case realText(Double)

    /// The expectation for `value` under `rules`.
    init(_ value: TestValue, rules: FormatRules) {
        switch value {
        case .null: self = .exact(rules.nulls == .null ? .null : .text(""))
        case .integer(let integer):
            switch rules.numbers {
            case .typed: self = .exact(.integer(integer))
            case .text: self = .exact(.text(String(integer)))
            case .spreadsheet:
                self = .exact(integer.magnitude <= 1 << 53 ? .real(Double(integer)) : .text(String(integer)))
            }
        case .real(let real):
            switch rules.numbers {
            case .typed: self = .exact(.real(real))
            case .text: self = .realText(real)
            case .spreadsheet:
                guard real.isFinite, real.magnitude <= 1e308 else {
                    self = .realText(real)
                    return
                }
                self = .exact(.real(Double(String(format: "%.16G", real)) ?? .nan))
            }
        case .text(let text): self = .exact(.text(rules.alteredText(text)))
        case .invalid(_, let repaired): self = .exact(.text(rules.alteredText(repaired)))
        case .blob(let bytes): self = .exact(rules.blobs == .bytes ? .blob(bytes) : .text(Data(bytes).base64EncodedString()))
        }
    }

    func matches(_ value: ReadValue) -> Bool {
        switch self {
        case .exact(let expected): return expected == value
        case .realText(let real):
            guard case .text(let text) = value, let parsed = Double(text) else { return false }
            return parsed.bitPattern == real.bitPattern
        }
    }

    var description: String {
        switch self {
        case .exact(let value): "\(value)"
        case .realText(let real): "text of the real \(real) (bits \(bits(real)))"
        }
    }
}

extension FormatRules.Nulls: Equatable {}
extension FormatRules.Numbers: Equatable {}
extension FormatRules.Blobs: Equatable {}

/// Compares what a reader found in one export with the rows sent, value by value, for the
/// columns of the sink's audience, in order. Rows are recognised by their key column, so a lost
/// row reads as a lost row, not as every later row mangled.
struct RoundTrip {
    let table: KitTable
    let audience: Column.Audience
    let rules: FormatRules
    let subject: String
    let run: String

    /// Positions (in the schema) of the columns the export must carry, in order.
    private var expectedColumns: [Int] { table.schema.columnIndices(for: audience) }

    private func label(_ column: Column, _ key: FormatRules.Key) -> String {
        rules.alteredText(key == .name ? column.name : column.title)
    }

    private func finding(_ problem: String, _ detail: String) -> Finding {
        Finding(problem: problem, subject: subject, runs: [run], detail: detail)
    }

    private var audienceName: String {
        switch audience {
        case .everyone: "everyone"
        case .people: "people"
        case .programs: "programs"
        }
    }

    /// Everything wrong with `read`, the reading of an export of `fileBytes` bytes.
    func findings(_ read: ReadTable, fileBytes: Int) -> [Finding] {
        let sent = table.rows
        if fileBytes == 0 && !sent.isEmpty {
            return [finding("writes nothing", "the export of \(sent.count) rows is an empty file")]
        }
        if fileBytes == 0, case .header = rules.labels {
            return [finding("writes nothing", "the export of no rows is an empty file, without the header the format starts with")]
        }
        var findings: [Finding] = []
        let expected = expectedColumns

        // Where each expected column is in a read row: by label when the format names columns,
        // else by position.
        var positionsByLabels: [[String]: [Int?]] = [:]
        var labelsReported = false
        func positions(for labels: [String]?, key: FormatRules.Key) -> [Int?]? {
            guard let labels else {
                if !labelsReported {
                    labelsReported = true
                    findings.append(finding("names no columns", "the format names its columns, but the reader found no labels"))
                }
                return nil
            }
            if let known = positionsByLabels[labels] { return known }
            let (problems, found) = labelFindings(labels, key: key)
            if !problems.isEmpty && !labelsReported {
                labelsReported = true
                findings += problems
            }
            positionsByLabels[labels] = found
            return found
        }

        let headerPositions: [Int?]?
        switch rules.labels {
        case .header(let key): headerPositions = positions(for: read.header, key: key)
        default: headerPositions = nil
        }

        var widthReported = false
        /// The positions of the expected columns in `row`, or nil when the row cannot be lined up.
        func layout(of row: ReadRow) -> [Int?]? {
            var found: [Int?]?
            switch rules.labels {
            case .none: found = nil
            case .header: found = headerPositions
            case .eachRow(let key): found = positions(for: row.labels, key: key)
            }
            if let found {
                let width: Int
                switch rules.labels {
                case .eachRow: width = row.labels?.count ?? 0
                default: width = read.header?.count ?? 0
                }
                if row.values.count != width {
                    if !widthReported {
                        widthReported = true
                        findings.append(finding("misaligns values", "a row has \(row.values.count) values for \(width) labelled columns"))
                    }
                    return nil
                }
                return found
            }
            if row.values.count == expected.count { return expected.indices.map { $0 } }
            if !widthReported {
                widthReported = true
                let names = expected.map { table.schema.columns[$0].name }.joined(separator: ", ")
                if row.values.count == table.schema.columns.count && expected.count != table.schema.columns.count {
                    findings.append(finding("ignores its audience", "rows have \(row.values.count) values, one per column of the table; a sink for \(audienceName) carries only its \(expected.count): \(names)"))
                } else if row.values.count < expected.count {
                    findings.append(finding("drops a column", "rows have \(row.values.count) values; the \(expected.count) columns for \(audienceName) are \(names)"))
                } else {
                    findings.append(finding("adds a column", "rows have \(row.values.count) values; the \(expected.count) columns for \(audienceName) are \(names)"))
                }
            }
            return nil
        }

        // Recognise each read row by its key, or by position when the table has none.
        let keyPosition = table.keyColumn.flatMap { expected.firstIndex(of: $0) }
        var rowsByKey: [String: Int] = [:]
        if let key = table.keyColumn {
            for index in sent.indices.reversed() {
                if case .exact(let value) = Expectation(sent[index][key], rules: rules) { rowsByKey[identityKey(value)] = index }
            }
        }
        let layouts = read.rows.map(layout)
        var identities: [Int?] = read.rows.indices.map { index in
            // Without the key (a table without one, or a sink that dropped it), by position.
            guard let keyPosition, let columns = layouts[index], let position = columns[keyPosition] else {
                return index < sent.count ? index : nil
            }
            return rowsByKey[identityKey(read.rows[index].values[position])]
        }

        if !identities.isEmpty && identities.allSatisfy({ $0 == nil }) {
            // Not one key read back as sent (e.g. every number comes back as text): line rows up
            // by position, so the values themselves show what differs.
            identities = read.rows.indices.map { $0 < sent.count ? $0 : nil }
        }
        if table.keyColumn == nil && read.rows.count == sent.count {
            // Without a key, a row out of place looks like mangled values: if every row read back
            // is a row sent, only in another place, say so instead.
            var unused = Array(sent.indices)
            let placed: [Int?] = read.rows.indices.map { index in
                guard let columns = layouts[index],
                      let match = unused.firstIndex(where: { matches(read.rows[index], columns, sent[$0]) }) else { return nil }
                return unused.remove(at: match)
            }
            if !placed.contains(nil) { identities = placed }
        }
        let seen = Set(identities.compactMap { $0 })
        let missing = sent.indices.filter { !seen.contains($0) }
        if !missing.isEmpty {
            let more = missing.count > 1 ? " and \(missing.count - 1) more" : ""
            findings.append(finding("loses rows", "read back \(seen.count) of \(sent.count) rows; row \(missing[0]) is missing\(more)"))
        }
        if let stray = identities.firstIndex(of: nil) {
            let count = identities.filter { $0 == nil }.count
            let values = read.rows[stray].values.prefix(4).map(\.description).joined(separator: ", ")
            findings.append(finding("adds rows", "\(count) row(s) read back match no row sent; the first, at position \(stray), reads \(values)"))
        }
        var counted: [Int: Int] = [:]
        for identity in identities.compactMap({ $0 }) { counted[identity, default: 0] += 1 }
        if let repeated = counted.filter({ $0.value > 1 }).keys.min() {
            findings.append(finding("repeats rows", "row \(repeated) is read back \(counted[repeated] ?? 0) times"))
        }
        var latest = -1
        for identity in identities.compactMap({ $0 }) {
            if identity < latest {
                findings.append(finding("reorders rows", "row \(identity) is read back after row \(latest)"))
                break
            }
            latest = identity
        }

        // Value by value.
        var mangled: [String] = []
        for (index, row) in read.rows.enumerated() {
            guard let identity = identities[index], let columns = layouts[index] else { continue }
            for (position, column) in expected.enumerated() {
                guard let at = columns[position] else { continue }
                let value = sent[identity][column]
                let expectation = Expectation(value, rules: rules)
                if !expectation.matches(row.values[at]) {
                    mangled.append("row \(identity), column '\(table.schema.columns[column].name)': sent \(value), read back \(row.values[at]), expected \(expectation)")
                }
            }
        }
        for detail in mangled.prefix(3) { findings.append(finding("mangles a value", detail)) }
        if mangled.count > 3 { findings.append(finding("mangles a value", "\(mangled.count - 3) more value(s)")) }
        return findings
    }

    /// Whether every expected column of `row` (laid out by `columns`) reads back as in `sent`.
    private func matches(_ row: ReadRow, _ columns: [Int?], _ sent: [TestValue]) -> Bool {
        expectedColumns.enumerated().allSatisfy { position, column in
            columns[position].map { Expectation(sent[column], rules: rules).matches(row.values[$0]) } ?? true
        }
    }

    /// Problems with a list of labels, and where each expected column is in it.
    private func labelFindings(_ labels: [String], key: FormatRules.Key) -> ([Finding], [Int?]) {
        let columns = table.schema.columns
        let expected = expectedColumns
        let wanted = expected.map { label(columns[$0], key) }
        var problems: [Finding] = []
        let positions: [Int?] = wanted.map { name in labels.firstIndex { same($0, name) } }
        for (index, name) in labels.enumerated() where !wanted.contains(where: { same($0, name) }) {
            if let other = columns.first(where: { same(label($0, key), name) }) {
                let meant = other.audience == .people ? "people" : "programs"
                problems.append(finding("ignores its audience", "carries column '\(name)', meant for \(meant) only, in an export for \(audienceName)"))
            } else {
                problems.append(finding("adds a column", "carries '\(name)' (label \(index)), which the table does not have"))
            }
        }
        for (position, name) in wanted.enumerated() where positions[position] == nil {
            problems.append(finding("drops a column", "'\(name)' is missing; the columns for \(audienceName) are \(wanted.joined(separator: ", "))"))
        }
        for name in Set(labels) where labels.filter({ same($0, name) }).count > 1 {
            problems.append(finding("repeats a column", "'\(name)' appears \(labels.filter { same($0, name) }.count) times"))
        }
        let present = positions.compactMap { $0 }
        if present != present.sorted() {
            problems.append(finding("reorders columns", "read \(labels.joined(separator: ", ")); expected \(wanted.joined(separator: ", "))"))
        }
        return (problems, positions)
    }

    /// A string equal for two values exactly when they are equal.
    private func identityKey(_ value: ReadValue) -> String {
        switch value {
        case .null: "n"
        case .integer(let integer): "i\(integer)"
        case .real(let real): "r" + bits(real)
        case .text(let text): "t" + hex(text.utf8)
        case .blob(let bytes): "b" + hex(bytes)
        }
    }

    /// Labels compare like text values: by Unicode scalars.
    private func same(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }
}

extension TestValue: CustomStringConvertible {
    /// The value as problems quote it.
    public var description: String {
        switch self {
        case .null: "null"
        case .integer(let value): "integer \(value)"
        case .real(let value): "real \(value)"
        case .text(let text): "text \(text.debugDescription)"
        case .invalid(let bytes, _): "invalid UTF-8 \(hex(bytes))"
        case .blob(let bytes): "\(bytes.count) bytes"
        }
    }
}
