import CadangCore
import Foundation

/// One value as a sink's reader found it in the written file.
///
/// Equality is exact: text by Unicode scalars (so `e` + U+0301 never equals `é`), reals by bit
/// pattern (so `-0.0` never equals `0.0`).
public enum ReadValue: Sendable, Equatable, CustomStringConvertible {
    /// A null the format can tell apart from empty text.
    case null
    /// A typed integer.
    case integer(Int64)
    /// A typed real.
    case real(Double)
    /// Text (numbers too, in formats that have only text).
    case text(String)
    /// Raw bytes.
    case blob([UInt8])

    /// Exact equality: text by Unicode scalars, reals by bits.
    public static func == (lhs: ReadValue, rhs: ReadValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.integer(let a), .integer(let b)): a == b
        case (.real(let a), .real(let b)): a.bitPattern == b.bitPattern
        case (.text(let a), .text(let b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.blob(let a), .blob(let b)): a == b
        default: false
        }
    }

    /// A value decoded from the tagged form the Python prelude (`PythonReaders.prelude`) prints:
    /// `null`, `int:<decimal>`, `float:<16 hex digits of the bits>`, `str:<hex of the UTF-8>`, `bytes:<hex>`.
    public init(tagged: String) throws {
        if tagged == "null" {
            self = .null
            return
        }
        guard let colon = tagged.firstIndex(of: ":") else { throw ReadFailure("untagged value \(tagged.debugDescription)") }
        let payload = String(tagged[tagged.index(after: colon)...])
        switch tagged[..<colon] {
        case "int":
            guard let value = Int64(payload) else { throw ReadFailure("integer out of the Int64 range: \(payload)") }
            self = .integer(value)
        case "float":
            guard payload.count == 16, let bits = UInt64(payload, radix: 16) else { throw ReadFailure("bad float bits \(payload)") }
            self = .real(Double(bitPattern: bits))
        case "str":
            guard let bytes = bytes(fromHex: payload) else { throw ReadFailure("bad text hex \(payload)") }
            self = .text(String(decoding: bytes, as: UTF8.self))
        case "bytes":
            guard let bytes = bytes(fromHex: payload) else { throw ReadFailure("bad bytes hex \(payload)") }
            self = .blob(bytes)
        default:
            throw ReadFailure("unknown tag in \(tagged.debugDescription)")
        }
    }

    /// The value as problems quote it.
    public var description: String {
        switch self {
        case .null: "null"
        case .integer(let value): "integer \(value)"
        case .real(let value): "real \(value) (bits \(bits(value)))"
        case .text(let text): "text \(text.debugDescription)"
        case .blob(let bytes): "\(bytes.count) bytes \(hex(bytes.prefix(16)))\(bytes.count > 16 ? "…" : "")"
        }
    }
}

/// One row as a reader found it.
public struct ReadRow: Sendable, Equatable {
    /// The column labels this row carries itself (JSON keys), in file order; `nil` when the
    /// format names columns once in a header, or not at all.
    public var labels: [String]?
    /// The row's values, in file order.
    public var values: [ReadValue]

    /// A row of values only (the header, if any, names them).
    public init(_ values: [ReadValue]) {
        labels = nil
        self.values = values
    }

    /// A row that names each of its values (a JSON object's members, in order).
    public init(labelled pairs: [(String, ReadValue)]) {
        labels = pairs.map(\.0)
        values = pairs.map(\.1)
    }
}

/// Everything a reader found in one export.
public struct ReadTable: Sendable, Equatable {
    /// The column labels stated once before the rows (a CSV header record), or `nil` when the file
    /// states none.
    public var header: [String]?
    /// Every row, in file order, none skipped, none merged.
    public var rows: [ReadRow]

    /// A table as read.
    public init(header: [String]?, rows: [ReadRow]) {
        self.header = header
        self.rows = rows
    }
}

/// What a sink documents about its format: how it names columns and how each kind of value it is
/// given appears in the file. The kit derives from these rules what a reader must find for every
/// value it sent, and nothing else is forgiven.
public struct FormatRules: Sendable {
    /// Which label of a `Column` the format uses.
    public enum Key: Sendable {
        /// `Column.name` (machine keys, e.g. JSON).
        case name
        /// `Column.title` (what people read, e.g. a CSV header).
        case title
    }

    /// Where the format names its columns.
    public enum Labels: Sendable {
        /// Nowhere: columns are known by position only (a CSV without header).
        case none
        /// Once, in a header before the rows (`ReadTable.header`), even when there are no rows.
        case header(Key)
        /// In every row (`ReadRow.labels`).
        case eachRow(Key)
    }

    /// How a NULL cell appears.
    public enum Nulls: Sendable {
        /// As a null the reader can tell apart (`ReadValue.null`).
        case null
        /// As empty text, like an empty string (CSV).
        case emptyText
    }

    /// How integers and reals appear.
    public enum Numbers: Sendable {
        /// As typed numbers: integers as `.integer`, reals as `.real` with the same bits (JSON).
        case typed
        /// As text: integers in decimal, reals as any text that parses (`Double(_:)`) to the same
        /// bits, `-0.0` included (CSV).
        case text
        /// As a spreadsheet's numbers, IEEE doubles kept to 16 significant digits (libxlsxwriter's
        /// `%.16G`; Excel shows 15): every number reads back as `.real`, an integer within ±2^53 as
        /// its value, a real as the double its 16-digit form gives. What a double cannot hold is
        /// text instead: integers beyond ±2^53 in decimal, reals beyond ±1e308 or not finite as
        /// any text that parses to the same bits (xlsx).
        case spreadsheet
    }

    /// How blobs appear.
    public enum Blobs: Sendable {
        /// As the bytes themselves (`.blob`).
        case bytes
        /// As standard base64 text, with padding.
        case base64Text
    }

    /// Where column labels are.
    public var labels: Labels
    /// How NULL appears.
    public var nulls: Nulls
    /// How numbers appear.
    public var numbers: Numbers
    /// How blobs appear.
    public var blobs: Blobs
    /// Text the format changes on purpose, as documented (e.g. a spreadsheet formula guard), applied
    /// to every text value and label the kit expects back; the identity for most formats.
    public var alteredText: @Sendable (String) -> String

    /// Rules; text is kept as it is unless `alteredText` says otherwise.
    public init(labels: Labels, nulls: Nulls, numbers: Numbers, blobs: Blobs,
                alteredText: @escaping @Sendable (String) -> String = { $0 }) {
        self.labels = labels
        self.nulls = nulls
        self.numbers = numbers
        self.blobs = blobs
        self.alteredText = alteredText
    }
}

/// The sink author's independent reader for a table sink's format (one that has a
/// `fileExtension`): the kit's round trip trusts it to say what the file holds.
///
/// Contract:
/// - `read` parses the file with code that does not share the sink's writer (Python's `csv` and
///   `json` modules, or a parser of your own), strictly: a malformed file, invalid UTF-8 where the
///   format promises UTF-8, or anything left over makes it throw, rather than guess.
/// - It reports what the file holds, not what it should hold: every row in file order (blank
///   records included), every value with the type the format gives it, text exactly (no
///   normalisation, no trimming), labels where the file states them.
/// - `rules` are what the sink documents for the options it was built with; the kit compares the
///   reading with the rows it sent under exactly those rules.
/// - Invalid UTF-8 in a text cell must come back as the core's `TextCells` repair gives it (each
///   maximal invalid sequence as U+FFFD), with a warning: the kit checks both.
public protocol ExportReader {
    /// What the sink documents about its format, for the options under test.
    var rules: FormatRules { get }
    /// Everything the export at `url` holds.
    func read(_ url: URL) throws -> ReadTable
}

/// The sink author's independent reader for a whole-set sink (`fileExtension == nil`, acting in
/// `didCommit`): it finds what the sink made of a committed set (an archive, a copy elsewhere)
/// and returns the set's files it contains.
///
/// Contract: `files` looks where the sink's options say it puts its copies (or at the copies the
/// sink lists), unpacks them with code independent of the sink (e.g. Python's `tarfile`), and
/// returns every file of `set` found there, keyed by its path relative to the set's folder
/// (`manifest.json` included), with its exact bytes. An empty result means the sink made nothing.
/// It throws when what it found is malformed.
public protocol CopyReader {
    /// The files of `set` in what the sink made of it; `listed` are the copies the sink reports
    /// through `archivedCopies(of:)`.
    func files(inCopyOf set: BackupSet, listed: [URL]) throws -> [String: [UInt8]]
}

/// A reader found something it cannot parse.
public struct ReadFailure: Error, CustomStringConvertible {
    /// What was wrong.
    public var description: String

    /// A failure saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// The bytes a hex string spells, or `nil` if it is not even-length lowercase or uppercase hex.
func bytes(fromHex text: String) -> [UInt8]? {
    var result: [UInt8] = []
    result.reserveCapacity(text.utf8.count / 2)
    var high: UInt8?
    for byte in text.utf8 {
        let nibble: UInt8
        switch byte {
        case 48...57: nibble = byte - 48
        case 97...102: nibble = byte - 87
        case 65...70: nibble = byte - 55
        default: return nil
        }
        if let h = high {
            result.append(h << 4 | nibble)
            high = nil
        } else {
            high = nibble
        }
    }
    return high == nil ? result : nil
}
