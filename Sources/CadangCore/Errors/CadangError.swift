/// An error a user can act on: one line saying what went wrong (naming the file), how to fix it,
/// and the exit status it maps to.
public struct CadangError: Error, Sendable, CustomStringConvertible {
    /// The exit status this error ends the process with.
    public var status: ExitStatus
    /// What went wrong, naming the file or thing involved.
    public var message: String
    /// How to fix it, if we know.
    public var fix: String?

    /// Creates an error.
    public init(_ status: ExitStatus, _ message: String, fix: String? = nil) {
        self.status = status
        self.message = message
        self.fix = fix
    }

    /// `message (fix)`, on one line.
    public var description: String {
        guard let fix else { return message }
        return "\(message) (\(fix))"
    }
}

extension CadangError {
    /// A failed system call on `path`, with errno's text.
    public static func system(_ action: String, _ path: String, errno code: Int32, status: ExitStatus = .failure) -> CadangError {
        let reason = String(cString: strerror(code))
        var fix: String?
        switch code {
        case ENOSPC: fix = "free some space on that drive or point the repository elsewhere"
        case EACCES, EPERM: fix = "check the permissions of that path"
        case EROFS: fix = "the filesystem is read-only; choose a writable destination"
        case ENOENT: fix = "check that the path exists"
        default: break
        }
        return CadangError(status, "cannot \(action) \(path): \(reason)", fix: fix)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CadangError {
    /// `error` as a `CadangError`: itself, or — for any other error a plugin or library threw — a
    /// failure whose one-line message says what failed (`what`) and what the error said.
    public static func from(_ error: any Error, while what: String) -> CadangError {
        if let error = error as? CadangError { return error }
        let text = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        return CadangError(.failure, "\(what) failed: \(text)")
    }
}
