/// The splitter's rejection sentences, in one place so the wording stays consistent (operators and
/// tests read them).
enum PayloadReason {
    static let notJSON =
        "not JSON: a payload file holds a JSON object, an array of objects, an export wrapper or JSON Lines"

    static func oversized(size: Int, limit: Int) -> String {
        "item is \(size) bytes, over max_item_bytes (\(limit))"
    }

    static func notAnObject(_ what: String) -> String {
        "not an object: an order is a JSON object, this item is \(what)"
    }

    static func lineNotAnObject(_ line: Int) -> String {
        "line \(line): not an object or an array of objects; the line is skipped"
    }

    static func malformedLine(_ line: Int, _ what: String, itemsBefore: Bool) -> String {
        "line \(line): malformed JSON (\(what)); the \(itemsBefore ? "rest of the " : "")line is skipped"
    }

    static func extraText(line: Int) -> String {
        "line \(line): malformed JSON (text after the value); the rest of the line is skipped"
    }

    static func restSkipped(at offset: Int, _ what: String) -> String {
        "malformed JSON at byte \(offset) (\(what)): cannot find the next item boundary; the rest of the file is skipped"
    }
}
