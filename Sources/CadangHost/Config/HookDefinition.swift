import CadangCore
import Yams

/// One `hooks:` entry (ops §2): a command run before or after a job, given as an argv list (no
/// shell unless `shell:` asks for one), with a timeout and, for `after`, the states it runs on.
public struct HookDefinition: Sendable, Equatable {
    /// When it runs.
    public enum Moment: String, Sendable {
        case before, after
    }

    /// Before or after the job.
    public var moment: Moment
    /// The program and its arguments.
    public var argv: [String]
    /// How long it may take, in seconds.
    public var timeout: Double
    /// The states an `after` hook runs on (every state when the config names none).
    public var states: Set<RunState>

    /// Five minutes, as ops §2 says.
    static let defaultTimeout: Double = 300

    /// Reads a `hooks:` list (top-level or a job's); `what` names it in messages.
    static func parseList(_ node: Node, check: inout ConfigChecker, what: String) -> [HookDefinition] {
        if isNull(node) { return [] }
        guard case .sequence(let items) = node else {
            check.report(node, "\(what) must be a list of hooks", hint: "e.g. '- { before: job, run: [/usr/local/bin/cek-usb] }'")
            return []
        }
        return items.enumerated().compactMap { index, item in parse(item, check: &check, what: "hook \(index + 1) of \(what)") }
    }

    private static func parse(_ node: Node, check: inout ConfigChecker, what: String) -> HookDefinition? {
        guard let pairs = check.mapping(node, what: what) else { return nil }
        let before = check.diagnostics.count
        check.checkKeys(pairs, allowed: ["before", "after", "run", "shell", "timeout", "states"], in: what)
        let moments = [Moment.before, .after].filter { pairs.value(for: $0.rawValue) != nil }
        guard moments.count == 1, let moment = moments.first else {
            check.report(node, "\(what) needs exactly one of 'before: job' or 'after: job'", hint: "e.g. '{ before: job, run: [...] }'")
            return nil
        }
        if let value = pairs.value(for: moment.rawValue), let text = check.string(value, what: "\(what).\(moment.rawValue)"), text != "job" {
            check.report(value, "\(what): '\(moment.rawValue): \(text)' is not known; hooks run around a job", hint: "write '\(moment.rawValue): job'")
        }
        var argv: [String] = []
        switch (pairs.value(for: "run"), pairs.value(for: "shell")) {
        case (let run?, nil):
            argv = check.strings(run, what: "\(what).run")?.map(\.0) ?? []
            if argv.isEmpty || argv[0].isEmpty { check.report(run, "\(what).run must name a program", hint: "e.g. run: [/usr/local/bin/cek-usb, --quiet]") }
        case (nil, let shell?):
            if let text = check.string(shell, what: "\(what).shell") { argv = ["/bin/sh", "-c", text] }
        default:
            check.report(node, "\(what) needs exactly one of 'run: [program, args…]' or 'shell: \"command line\"'",
                         hint: "prefer run: its arguments are never re-read by a shell")
        }
        var timeout = defaultTimeout
        if let value = pairs.value(for: "timeout"), let text = check.string(value, what: "\(what).timeout") {
            if let seconds = DurationText.parse(text), seconds >= 1 { timeout = seconds } else {
                check.report(value, "\(what).timeout must be a duration of at least 1s, not '\(text)'", hint: "e.g. 30s, 2m; the default is 5m")
            }
        }
        var states = Set(RunState.allCases)
        if let value = pairs.value(for: "states") {
            if moment == .before { check.report(value, "\(what): 'states' is for after hooks", hint: "remove it, or make the hook 'after: job'") }
            states = check.runStates(value, what: "\(what).states")
        }
        guard check.diagnostics.count == before else { return nil }
        return HookDefinition(moment: moment, argv: argv, timeout: timeout, states: states)
    }
}

extension ConfigChecker {
    /// A list of run states (`success`, `partial`, `skipped`, `fail`).
    mutating func runStates(_ node: Node, what: String) -> Set<RunState> {
        var states = Set<RunState>()
        for (text, item) in strings(node, what: what) ?? [] {
            if let state = RunState(rawValue: text) { states.insert(state) } else {
                report(item, "\(what): unknown state '\(text)'", hint: "states: \(RunState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return states
    }
}
