import CadangCore
import Yams

/// One `monitors:` entry: a monitor plugin's options plus the host's own keys — the `states` it is
/// told about (every state by default) and a `timeout` per try.
public struct MonitorDefinition {
    /// The monitor component (kind `.monitor`, named by its place in the list).
    public var component: Config.Component
    /// The end states it reports; `start` goes to every monitor that asks for it.
    public var states: Set<RunState>
    /// Seconds each try may take (10 s, as ops §2 says).
    public var timeout: Double

    /// The keys every monitor entry may have besides its plugin's options.
    static let hostKeys = ["states", "timeout"]

    /// Reads the `monitors:` list.
    static func parseList(_ node: Node, check: inout ConfigChecker) -> [MonitorDefinition] {
        if isNull(node) { return [] }
        guard case .sequence(let items) = node else {
            check.report(node, "'monitors' must be a list", hint: "e.g. '- { plugin: healthchecks, url: \"https://hc-ping.com/${HC_UUID}\" }'")
            return []
        }
        var monitors: [MonitorDefinition] = []
        for (index, item) in items.enumerated() {
            guard let component = check.component(kind: .monitor, name: "\(index + 1)", key: item, node: item, hostKeys: hostKeys),
                  let pairs = check.mapping(item, what: "monitor \(index + 1)") else { continue }
            var definition = MonitorDefinition(component: component, states: Set(RunState.allCases), timeout: 10)
            if let value = pairs.value(for: "states") { definition.states = check.runStates(value, what: "monitor \(index + 1).states") }
            if let value = pairs.value(for: "timeout"), let text = check.string(value, what: "monitor \(index + 1).timeout") {
                if let seconds = DurationText.parse(text), seconds > 0, seconds <= 300 { definition.timeout = seconds } else {
                    check.report(value, "monitor \(index + 1).timeout must be a duration up to 5m, not '\(text)'", hint: "the default is 10s")
                }
            }
            monitors.append(definition)
        }
        return monitors
    }
}
