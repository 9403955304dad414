import CadangCore
import Foundation

/// A tool the schedule commands call (`systemctl`, `crontab`); the core's runner, so plugins and
/// the host spawn programs one way.
typealias ExternalCommand = ExternalProgram

extension ExternalProgram {
    /// `name`, or an error saying it is not installed (`fix` says what to do instead).
    static func require(_ name: String, fix: String) throws -> ExternalProgram {
        guard let found = find(name) else { throw CadangError(.failure, "\(name) is not on PATH", fix: fix) }
        return found
    }

    /// Runs and throws unless it exits 0: "`name args` failed: reason".
    @discardableResult
    func check(_ arguments: [String], input: String? = nil, fix: String? = nil) throws -> Output {
        let output = try run(arguments, input: input)
        guard output.status == 0 else {
            throw CadangError(.failure, "\(([name] + arguments).joined(separator: " ")) failed: \(output.reason)", fix: fix)
        }
        return output
    }
}
