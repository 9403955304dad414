import Foundation
import CPostgres

/// A failed PostgreSQL call: the server's SQLSTATE and message, and what cadang was doing.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE, nil when nothing classifies the failure. libpq reports no code
    /// for connection failures, so those carry the client-side class-08 code (08001 could not
    /// connect, 08006 connection lost), or one read off the server's FATAL text (28P01, 28000,
    /// 3D000) when that text is recognisable.
    public var sqlState: String?
    /// The primary message, from the server or libpq.
    public var message: String
    /// The server's detail line, when it sent one.
    public var detail: String?
    /// The server's hint, when it sent one.
    public var hint: String?
    /// What was being done, as a phrase after "cannot" (never holding a password).
    public var action: String

    /// Creates an error.
    public init(sqlState: String?, message: String, detail: String? = nil, hint: String? = nil, action: String) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.action = action
    }

    /// `cannot <action>: <message> (SQLSTATE x); detail: …; hint: …`, on one line.
    public var description: String {
        var text = "cannot \(action): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += "; detail: \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        return PostgresError.oneLine(text)
    }

    /// libpq's messages end in a newline and some span several lines (a tab-indented second one).
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// The error a failed or missing result stands for.
    static func from(result: OpaquePointer?, connection: OpaquePointer?, action: String) -> PostgresError {
        if let result, let primary = field(result, "M") {
            return PostgresError(sqlState: field(result, "C"), message: primary,
                                 detail: field(result, "D"), hint: field(result, "H"),
                                 action: action)
        }
        // No server error: libpq's own, after a lost connection or a refused call.
        let text = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) } ?? ""
        let message = oneLine(text.isEmpty ? connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "" : text)
        let lost = connection.map { PQstatus($0) == CONNECTION_BAD } ?? true
        return PostgresError(sqlState: lost ? "08006" : nil, message: message.isEmpty ? "unknown error" : message, action: action)
    }

    /// The error a failed connection attempt stands for; `message` is libpq's, already scrubbed.
    static func connectionFailure(_ message: String, action: String) -> PostgresError {
        // The server's FATAL text reaches us only as text; its SQLSTATE is not exposed by libpq.
        let state: String
        if message.contains("password authentication failed") || message.contains("no password supplied") {
            state = "28P01"
        } else if message.contains("database \""), message.contains("\" does not exist") {
            state = "3D000"
        } else if message.contains("role \""), message.contains("\" does not exist") {
            state = "28000"
        } else if message.contains("no pg_hba.conf entry") {
            state = "28000"
        } else {
            state = "08001"
        }
        let text = oneLine(message)
        return PostgresError(sqlState: state, message: text.isEmpty ? "could not connect" : text, action: action)
    }

    /// One field of a server error, by the code letter of its `PG_DIAG_` macro, which Swift does
    /// not import (the macros are character constants).
    private static func field(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
        guard let value = PQresultErrorField(result, Int32(code.value)) else { return nil }
        return String(cString: value)
    }
}
