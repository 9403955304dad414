import CadangCore
import Foundation

/// How every command reports a failure: config problems one `FILE:LINE:COL` line each, anything
/// else as one `cadang: error: …` line, on standard error; the error picks the exit status.
public enum ErrorReport {
    /// Runs `body` and turns a thrown error into its printed line and exit status.
    public static func printing(_ body: () throws -> ExitStatus) -> ExitStatus {
        do {
            return try body()
        } catch let error as ConfigError {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            return .usage
        } catch let error as CadangError {
            printError("cadang: error: \(error)")
            return error.status
        } catch {
            printError("cadang: error: \(CadangError.from(error, while: "the command"))")
            return .failure
        }
    }

    /// Runs `body`, turning any error but a config or cadang error into a one-line `CadangError`
    /// that names `what` failed (a plugin's own error types mean nothing to the user otherwise).
    static func attributed<T>(to what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ConfigError {
            throw error
        } catch {
            throw CadangError.from(error, while: what)
        }
    }

    private static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
