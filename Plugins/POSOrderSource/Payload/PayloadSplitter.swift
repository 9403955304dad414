/// Finds the top-level order items of a payload — a JSON array of orders, one order object, an
/// export wrapper (`{"database": "pos_order_backup_<config_id>", …, "records": […]}`, keys in any
/// order) or JSON Lines — reading through a fixed window, so a 500 MB file never sits in memory.
///
/// It does not parse items: it counts brackets outside strings to find where each ends, checks the
/// grammar only between items, and leaves the rest to `OrderDecoder`. What it cannot use becomes a
/// `.rejected` event and the items around it are kept:
/// - an item over `maxItemBytes` (skipped without being held), an item that is not an object;
/// - in JSON Lines, a malformed line (the next line is read as usual);
/// - elsewhere, a break between items (the rest of the file, as one rejection);
/// - a file that does not start like JSON (one rejection with a nil index).
///
/// How the shape is told: `[` starts an array; `{` an object, which is a wrapper when one of its keys
/// is `records` with an array value. When the first value ends on the line it began on, the file is
/// read as JSON Lines from there (a one-line file is the same either way); a first value spanning
/// lines is a document, and any values after it are read as more documents. A first value that
/// breaks is retried as JSON Lines when the next line starts with `{` or `[`.
///
/// One splitter serves one input on one thread; it is not `Sendable`.
final class PayloadSplitter {
    /// Items larger than this are rejected (and skipped without being buffered).
    let maxItemBytes: Int

    private let window: PayloadWindow
    private var state: State = .start
    private var nextIndex = 0
    private var lineMode = false
    /// The current line (counted in line mode, and before the first value).
    private var line = 1
    private var firstValue = true
    /// In line mode: a value ended on this line already, so more text on it is an error.
    private var lineHasValue = false
    private var itemsOnLine = 0
    private var objectIsWrapper = false
    private var databaseSeen = false
    private var fallbackConfigID: Int64?
    private var pendingKey: TopLevelKey = .other

    private enum ArrayPhase { case valueOrEnd, value, commaOrEnd }
    private enum ObjectPhase { case keyOrEnd, key, colon, value, commaOrEnd }
    private enum TopLevelKey { case records, database, other }
    private enum State {
        case start
        case betweenValues
        /// Inside a top-level array, or inside the wrapper's `records` when `records` is true.
        case array(ArrayPhase, records: Bool)
        case object(ObjectPhase)
        case done
    }

    /// Splits the file at `path`.
    convenience init(path: String, maxItemBytes: Int = 1 << 20) throws(PayloadReadError) {
        self.init(source: try FilePayloadSource(path: path), maxItemBytes: maxItemBytes)
    }

    /// Splits bytes already in memory (an HTTP request body); `origin` names them in messages.
    convenience init(bytes: [UInt8], origin: String = "request body", maxItemBytes: Int = 1 << 20) {
        self.init(source: BufferPayloadSource(bytes: bytes, origin: origin), maxItemBytes: maxItemBytes)
    }

    /// Splits any random-access source.
    init(source: any PayloadByteSource, maxItemBytes: Int = 1 << 20, windowCapacity: Int = PayloadWindow.defaultCapacity) {
        self.maxItemBytes = max(maxItemBytes, 2)
        self.window = PayloadWindow(source: source, capacity: windowCapacity)
    }

    /// The next item or rejection; nil when the input is exhausted. Throws only when the input
    /// cannot be read.
    func next() throws(PayloadReadError) -> PayloadEvent? {
        while true {
            let event: PayloadEvent?
            switch state {
            case .done: return nil
            case .start: event = try start()
            case .betweenValues: event = try startValue()
            case .array(let phase, let records): event = try stepArray(phase, records: records)
            case .object(let phase): event = try stepObject(phase)
            }
            if let event { return event }
        }
    }

    /// Every remaining event, in order (for small inputs and tests).
    func allEvents() throws(PayloadReadError) -> [PayloadEvent] {
        var events: [PayloadEvent] = []
        while let event = try next() { events.append(event) }
        return events
    }

    // MARK: - Values at the top

    private func start() throws(PayloadReadError) -> PayloadEvent? {
        try window.skipByteOrderMark()
        guard try skipBlankLines() else { state = .done; return nil }
        window.sawLineFeed = false
        guard let byte = try window.peek(), byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") else {
            state = .done
            return .rejected(index: nil, reason: PayloadReason.notJSON)
        }
        state = .betweenValues
        return nil
    }

    /// Skips blanks and line feeds, counting lines; false at the end of the input.
    private func skipBlankLines() throws(PayloadReadError) -> Bool {
        while let byte = try window.peek() {
            switch byte {
            case 0x20, 0x09, 0x0D: window.advance()
            case 0x0A:
                window.advance()
                line += 1
                lineHasValue = false
                itemsOnLine = 0
            default: return true
            }
        }
        return false
    }

    private func startValue() throws(PayloadReadError) -> PayloadEvent? {
        if lineMode {
            guard try skipBlankLines() else { state = .done; return nil }
            if lineHasValue { return try rejectRestOfLine(PayloadReason.extraText(line: line)) }
        } else {
            guard try window.skipWhitespace(lineMode: false) == .done else { state = .done; return nil }
        }
        guard let byte = try window.peek() else { state = .done; return nil }
        switch byte {
        case UInt8(ascii: "{"):
            window.beginCapture(limit: maxItemBytes)
            window.advance()
            objectIsWrapper = false
            databaseSeen = false
            fallbackConfigID = nil
            state = .object(.keyOrEnd)
            return nil
        case UInt8(ascii: "["):
            window.advance()
            state = .array(.valueOrEnd, records: false)
            return nil
        default:
            if lineMode { return try rejectRestOfLine(PayloadReason.lineNotAnObject(line)) }
            return try malformed("a value that is not an object or array")
        }
    }

    /// A top-level value ended: after the first, decide between JSON Lines and documents.
    private func valueEnded() {
        state = .betweenValues
        lineHasValue = true
        if firstValue {
            firstValue = false
            if !window.sawLineFeed { lineMode = true }
        }
    }

    /// The line of an item being reported, when lines mean something.
    private var currentLine: Int? {
        if lineMode || (firstValue && !window.sawLineFeed) { return line }
        return nil
    }

    /// Prefixes the line number to a per-item reason when reading lines.
    private func onLine(_ reason: String) -> String {
        guard let line = currentLine else { return reason }
        return "line \(line): " + reason
    }

    // MARK: - Arrays (top-level, JSON Lines lines, and the wrapper's records)

    private func stepArray(_ phase: ArrayPhase, records: Bool) throws(PayloadReadError) -> PayloadEvent? {
        switch try window.skipWhitespace(lineMode: lineMode) {
        case .lineBreak: return try malformed("the line ends inside an array")
        case .endOfInput: return try malformed("the input ends inside an array")
        case .done: break
        }
        guard let byte = try window.peek() else { return try malformed("the input ends inside an array") }
        switch phase {
        case .valueOrEnd, .value:
            if byte == UInt8(ascii: "]"), phase == .valueOrEnd {
                window.advance()
                return arrayEnded(records: records)
            }
            state = .array(.commaOrEnd, records: records)
            return try element(startingWith: byte, inRecords: records)
        case .commaOrEnd:
            if byte == UInt8(ascii: ",") {
                window.advance()
                state = .array(.value, records: records)
                return nil
            }
            if byte == UInt8(ascii: "]") {
                window.advance()
                return arrayEnded(records: records)
            }
            return try malformed("expected ',' or ']' after an item")
        }
    }

    private func arrayEnded(records: Bool) -> PayloadEvent? {
        if records { state = .object(.commaOrEnd) } else { valueEnded() }
        return nil
    }

    /// One element of an items array: an order object, or something rejected.
    private func element(startingWith byte: UInt8, inRecords: Bool) throws(PayloadReadError) -> PayloadEvent? {
        switch byte {
        case UInt8(ascii: "{"):
            window.beginCapture(limit: maxItemBytes)
            switch try window.skipContainer(lineMode: lineMode) {
            case .done: break
            case .lineBreak: return try malformed("the line ends inside an item")
            case .endOfInput: return try malformed("the input ends inside an item")
            }
            let (bytes, size) = window.endCapture()
            return emit(bytes, size: size, fallbackConfigID: inRecords ? fallbackConfigID : nil)
        case UInt8(ascii: "["):
            switch try window.skipContainer(lineMode: lineMode) {
            case .done: return rejectItem(PayloadReason.notAnObject("an array"))
            case .lineBreak: return try malformed("the line ends inside an item")
            case .endOfInput: return try malformed("the input ends inside an item")
            }
        case UInt8(ascii: "\""):
            switch try window.skipString(lineMode: lineMode) {
            case .done: return rejectItem(PayloadReason.notAnObject("a string"))
            case .lineBreak: return try malformed("the line ends inside a string")
            case .endOfInput: return try malformed("the input ends inside a string")
            }
        default:
            guard try window.skipScalar() > 0 else { return try malformed("expected an item") }
            return rejectItem(PayloadReason.notAnObject("a number or a literal"))
        }
    }

    private func emit(_ bytes: [UInt8]?, size: Int, fallbackConfigID: Int64?) -> PayloadEvent {
        guard let bytes else { return rejectItem(PayloadReason.oversized(size: size, limit: maxItemBytes)) }
        let index = nextIndex
        nextIndex += 1
        itemsOnLine += 1
        return .item(PayloadItem(index: index, bytes: bytes, line: currentLine, fallbackConfigID: fallbackConfigID))
    }

    private func rejectItem(_ reason: String) -> PayloadEvent {
        let index = nextIndex
        nextIndex += 1
        itemsOnLine += 1
        return .rejected(index: index, reason: onLine(reason))
    }

    // MARK: - Top-level objects (an order, or the export wrapper)

    private func stepObject(_ startPhase: ObjectPhase) throws(PayloadReadError) -> PayloadEvent? {
        // The members are read in one loop; the state is written only when leaving it.
        var phase = startPhase
        while true {
            switch try window.skipWhitespace(lineMode: lineMode) {
            case .lineBreak: return try malformed("the line ends inside an object")
            case .endOfInput: return try malformed("the input ends inside an object")
            case .done: break
            }
            guard let byte = try window.peek() else { return try malformed("the input ends inside an object") }
            switch phase {
            case .keyOrEnd, .key:
                if byte == UInt8(ascii: "}"), phase == .keyOrEnd {
                    window.advance()
                    return objectEnded()
                }
                guard byte == UInt8(ascii: "\"") else { return try malformed("expected a key") }
                switch try window.skipString(lineMode: lineMode, keep: 9) {
                case .done: break
                case .lineBreak: return try malformed("the line ends inside a key")
                case .endOfInput: return try malformed("the input ends inside a key")
                }
                pendingKey = window.kept.elementsEqual("records".utf8) ? .records
                    : window.kept.elementsEqual("database".utf8) ? .database : .other
                phase = .colon
            case .colon:
                guard byte == UInt8(ascii: ":") else { return try malformed("expected ':' after a key") }
                window.advance()
                phase = .value
            case .value:
                phase = .commaOrEnd
                if pendingKey == .records, byte == UInt8(ascii: "["), !objectIsWrapper {
                    // An export wrapper: its records are the items, the wrapper itself is not one.
                    objectIsWrapper = true
                    window.cancelCapture()
                    if !databaseSeen { fallbackConfigID = try lookAheadForDatabase() }
                    window.advance()
                    state = .array(.valueOrEnd, records: true)
                    return nil
                }
                if pendingKey == .database, byte == UInt8(ascii: "\"") {
                    guard try window.skipString(lineMode: lineMode, keep: 256) == .done else {
                        return try malformed("the value of 'database' does not end")
                    }
                    databaseSeen = true
                    fallbackConfigID = PayloadSplitter.configID(fromDatabase: Array(window.kept))
                    continue
                }
                switch try skipValue(startingWith: byte, in: window) {
                case .done: continue
                case .lineBreak: return try malformed("the line ends inside a value")
                case .endOfInput: return try malformed("the input ends inside a value")
                }
            case .commaOrEnd:
                if byte == UInt8(ascii: ",") {
                    window.advance()
                    phase = .key
                    continue
                }
                if byte == UInt8(ascii: "}") {
                    window.advance()
                    return objectEnded()
                }
                return try malformed("expected ',' or '}' after a value")
            }
        }
    }

    private func objectEnded() -> PayloadEvent? {
        if objectIsWrapper {
            valueEnded()
            return nil
        }
        let (bytes, size) = window.endCapture()
        valueEnded()
        return emit(bytes, size: size, fallbackConfigID: nil)
    }

    /// Skips one value of any kind; an empty scalar (a delimiter where a value belongs) is reported
    /// as the end of the input would be, since no boundary can be found after it.
    private func skipValue(startingWith byte: UInt8, in window: PayloadWindow) throws(PayloadReadError) -> PayloadWindow.Outcome {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return try window.skipContainer(lineMode: lineMode)
        case UInt8(ascii: "\""): return try window.skipString(lineMode: lineMode)
        default: return try window.skipScalar() > 0 ? .done : .endOfInput
        }
    }

    /// The wrapper's `records` came before its `database`: read ahead (a second window, the same
    /// source) past the records to find the config id the records fall back on. This reads a
    /// records-first wrapper twice, but never holds it.
    private func lookAheadForDatabase() throws(PayloadReadError) -> Int64? {
        let ahead = PayloadWindow(source: window.source, offset: window.offset)
        guard try ahead.skipContainer(lineMode: false) == .done else { return nil }
        while true {
            guard try ahead.skipWhitespace(lineMode: false) == .done, try ahead.peek() == UInt8(ascii: ",") else { return nil }
            ahead.advance()
            guard try ahead.skipWhitespace(lineMode: false) == .done, try ahead.peek() == UInt8(ascii: "\""),
                  try ahead.skipString(lineMode: false, keep: 9) == .done else { return nil }
            let isDatabase = ahead.kept.elementsEqual("database".utf8)
            guard try ahead.skipWhitespace(lineMode: false) == .done, try ahead.peek() == UInt8(ascii: ":") else { return nil }
            ahead.advance()
            guard try ahead.skipWhitespace(lineMode: false) == .done, let byte = try ahead.peek() else { return nil }
            if isDatabase, byte == UInt8(ascii: "\"") {
                guard try ahead.skipString(lineMode: false, keep: 256) == .done else { return nil }
                return PayloadSplitter.configID(fromDatabase: Array(ahead.kept))
            }
            let outcome: PayloadWindow.Outcome
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["): outcome = try ahead.skipContainer(lineMode: false)
            case UInt8(ascii: "\""): outcome = try ahead.skipString(lineMode: false)
            default: outcome = try ahead.skipScalar() > 0 ? .done : .endOfInput
            }
            guard outcome == .done else { return nil }
        }
    }

    /// The trailing number of a wrapper's `database` (`pos_order_backup_3` → 3).
    static func configID(fromDatabase name: [UInt8]) -> Int64? {
        var start = name.endIndex
        while start > name.startIndex, name[start - 1] >= 0x30, name[start - 1] <= 0x39 { start -= 1 }
        guard start < name.endIndex, name.endIndex - start <= 18 else { return nil }
        return name[start...].reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
    }

    // MARK: - Errors between items

    /// The grammar broke where an item boundary was expected. In JSON Lines the line is rejected and
    /// reading goes on; a broken first value may turn out to be JSON Lines' first line; otherwise
    /// the rest of the input is rejected at once.
    private func malformed(_ what: String) throws(PayloadReadError) -> PayloadEvent? {
        window.cancelCapture()
        if lineMode { return try rejectRestOfLine(PayloadReason.malformedLine(line, what, itemsBefore: itemsOnLine > 0)) }
        if firstValue, try looksLikeJSONLines(afterLineAt: window.sawLineFeed ? 0 : window.offset) {
            firstValue = false
            lineMode = true
            if !window.sawLineFeed {
                return try rejectRestOfLine(PayloadReason.malformedLine(line, what, itemsBefore: itemsOnLine > 0))
            }
            if nextIndex == 0 {
                // The first line was not a whole value, yet the next line starts one: JSON Lines
                // with a broken first line. Read again from the start, line by line.
                window.seek(to: 0)
                line = 1
                lineHasValue = false
                itemsOnLine = 0
                state = .start
                return nil
            }
        }
        let at = window.offset
        state = .done
        let index = nextIndex
        nextIndex += 1
        return .rejected(index: index, reason: PayloadReason.restSkipped(at: at, what))
    }

    private func rejectRestOfLine(_ reason: String) throws(PayloadReadError) -> PayloadEvent {
        try window.skipToLineEnd()
        state = .betweenValues
        lineHasValue = false
        let index = nextIndex
        nextIndex += 1
        return .rejected(index: index, reason: reason)
    }

    /// Whether the line after the one at `offset` (blank lines skipped) starts, in its first column,
    /// an object or an array — JSON Lines does; a pretty-printed document indents its inner lines.
    private func looksLikeJSONLines(afterLineAt offset: Int) throws(PayloadReadError) -> Bool {
        let ahead = PayloadWindow(source: window.source, offset: offset, capacity: 64 << 10)
        if offset == 0 { try ahead.skipByteOrderMark() }
        try ahead.skipToLineEnd()
        while try ahead.peek() == 0x0A {
            ahead.advance()
            while let byte = try ahead.peek(), byte == 0x0D || byte == 0x20 || byte == 0x09 {
                guard byte == 0x0D else { return false }
                ahead.advance()
            }
        }
        guard let byte = try ahead.peek() else { return false }
        return byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[")
    }
}
