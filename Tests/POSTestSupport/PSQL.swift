import Foundation

/// Runs SQL through the `psql` client: the stand-in's database is checked from outside the server
/// under test, and PostgresSupport's own API is not needed for it.
public enum PSQL {
    /// The rows of `sql`, one line each, columns separated by `|` (psql -At).
    public static func run(_ sql: String, conninfo: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting: a big result would otherwise fill the pipe and stall psql.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OdooStandInError.sqlFailed(sql: sql, error: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// `text` as a SQL string literal.
    public static func literal(_ text: String?) -> String {
        guard let text else { return "NULL" }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
