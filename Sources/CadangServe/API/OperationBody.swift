import Foundation

/// The body of `POST …/import` and `…/cleanup`: `{"select": [keys] | filters, "dry_run": bool}`,
/// read into the operation's options as the command line gives them (a list one value per line).
enum OperationBody {
    /// One value of the body.
    private enum Value: Decodable {
        case flag(Bool), integer(Int64), number(Double), text(String), list([Value])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
            else if let integer = try? container.decode(Int64.self) { self = .integer(integer) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else if let text = try? container.decode(String.self) { self = .text(text) }
            else { self = .list(try container.decode([Value].self)) }
        }
    }

    /// The options and the dry-run flag of `body` (empty: no options, a real run).
    static func parse(_ body: [UInt8]) throws -> (options: [String: String], dryRun: Bool) {
        guard !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return ([:], false) }
        guard let object = try? JSONDecoder().decode([String: Value].self, from: Data(body)) else {
            throw HTTPFailure(.badRequest, "the body must be a JSON object of options such as {\"select\": [\"KEY\"], \"dry_run\": true}")
        }
        var options: [String: String] = [:]
        var dryRun = false
        for (name, value) in object {
            if name == "dry_run" {
                guard case .flag(let flag) = value else { throw HTTPFailure(.badRequest, "dry_run must be true or false") }
                dryRun = flag
                continue
            }
            options[name] = try text(value, name: name, nested: false)
        }
        return (options, dryRun)
    }

    private static func text(_ value: Value, name: String, nested: Bool) throws -> String {
        switch value {
        case .flag(let flag): return flag ? "true" : "false"
        case .integer(let integer): return String(integer)
        case .number(let number): return number.description
        case .text(let text):
            guard !text.contains("\n"), !nested || !text.contains(",") else {
                throw HTTPFailure(.badRequest, "a value of \(name) holds a line break or, in a list, a comma")
            }
            return text
        case .list(let items):
            guard !nested else { throw HTTPFailure(.badRequest, "\(name) must be a list of strings, not of lists") }
            // An empty choice must not mean "no choice", which is everything.
            guard !items.isEmpty else { throw HTTPFailure(.badRequest, "\(name) is an empty list; leave it out to choose by the other filters") }
            return try items.map { try text($0, name: name, nested: true) }.joined(separator: "\n")
        }
    }
}
