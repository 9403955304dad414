import CadangCore
import Foundation
import POSTestSupport
import SinkTestKit

/// Reads a postgres sink's table back under the rules `PostgresSink` documents: the receipt (the
/// set's artifact) names the schema, table and source, the set's folder gives the set id, and
/// `psql` (no code shared with the sink) returns the rows of that set in `row_number` order.
struct PostgresTableReader: ExportReader {
    /// Where the sink wrote (superuser connection string of the test database).
    var conninfo: String

    /// Columns named by their machine names (the table's column names); nulls kept; numbers as
    /// PostgreSQL's text of them; blobs as bytea. The one alteration: NUL, which PostgreSQL text
    /// cannot hold, becomes U+FFFD.
    var rules: FormatRules {
        FormatRules(labels: .header(.name), nulls: .null, numbers: .text, blobs: .bytes,
                    alteredText: { $0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") })
    }

    /// The receipt's one line.
    struct Receipt: Decodable, Equatable {
        var rows: Int
        var schema: String
        var source: String
        var table: String
    }

    static func receipt(_ url: URL) throws -> Receipt {
        let data = try Data(contentsOf: url)
        guard data.last == 10, data.filter({ $0 == 10 }).count == 1 else { throw ReadFailure("the receipt is not one line") }
        return try JSONDecoder().decode(Receipt.self, from: data)
    }

    /// The id of the set holding `url` (the first folder up the path named like a set id).
    static func setID(of url: URL) throws -> String {
        guard let id = url.pathComponents.reversed().first(where: SetID.isValid) else {
            throw ReadFailure("\(url.path) is not inside a set")
        }
        return id
    }

    func read(_ url: URL) throws -> ReadTable {
        let receipt = try Self.receipt(url)
        let setID = try Self.setID(of: url)
        let table = "\(quoted(receipt.schema)).\(quoted(receipt.table))"
        let columns = try PSQL.run("""
            SELECT a.attname || '|' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            WHERE a.attrelid = to_regclass(\(PSQL.literal(table))) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, conninfo: conninfo).map { line -> (String, String) in
            let parts = line.split(separator: "|", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        guard columns.prefix(4).map(\.0) == ["source", "set_id", "set_time", "row_number"] else {
            throw ReadFailure("\(table) does not start with source, set_id, set_time, row_number: \(columns)")
        }
        let data = Array(columns.dropFirst(4))
        let cells = data.map { name, type -> String in
            let column = quoted(name)
            let value = type == "bytea" ? "'bytes:' || encode(\(column), 'hex')" : "'str:' || encode(convert_to(\(column)::text, 'UTF8'), 'hex')"
            return "CASE WHEN \(column) IS NULL THEN 'null' ELSE \(value) END"
        }
        let select = cells.isEmpty ? "''" : cells.joined(separator: " || ',' || ")
        let lines = try PSQL.run("""
            SELECT row_number || ';' || \(select) FROM \(table)
            WHERE source = \(PSQL.literal(receipt.source)) AND set_id = \(PSQL.literal(setID)) ORDER BY row_number
            """, conninfo: conninfo)
        var rows: [ReadRow] = []
        for (index, line) in lines.enumerated() {
            let parts = line.split(separator: ";", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "\(index + 1)" else { throw ReadFailure("row_number is not 1, 2, …: \(line.prefix(40))") }
            rows.append(ReadRow(try parts[1].split(separator: ",", omittingEmptySubsequences: false).map { try ReadValue(tagged: String($0)) }))
        }
        guard rows.count == receipt.rows else { throw ReadFailure("the receipt says \(receipt.rows) rows, the table holds \(rows.count)") }
        return ReadTable(header: data.map(\.0), rows: rows)
    }

    private func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
