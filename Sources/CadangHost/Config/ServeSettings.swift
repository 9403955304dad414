import CadangCore
import Yams

/// The `serve:` section (DESIGN §8): where `cadang serve` listens, its two tokens and the largest
/// request body it reads.
///
/// Its problems stop `cadang serve` only (and `config check` reports them): the tokens come from
/// the environment of the server, so a scheduled `cadang run` without `CADANG_MANAGER_TOKEN` set
/// must not fail on them.
public struct ServeSettings: Sendable, Equatable {
    /// The host to listen on (default 127.0.0.1).
    public var host: String
    /// The port (default 8765; 0 picks a free one).
    public var port: Int
    /// The token that may only add orders, if one is configured.
    public var ingestToken: String?
    /// The token that may do everything.
    public var managerToken: String?
    /// Bodies larger than this are refused with 413.
    public var maxBodyBytes: Int
    /// How often each duty runs inside the server, in seconds; nil: not at all.
    public var duties: [ServeDuty: Double] = ServeDuty.defaultIntervals

    /// What a section that is not there means: loopback only, no tokens (every API call refused).
    public static let defaults = ServeSettings(host: "127.0.0.1", port: 8765, ingestToken: nil, managerToken: nil, maxBodyBytes: 16 << 20)

    /// Tokens shorter than this are refused: they are the only thing between the network and the orders.
    static let minimumTokenLength = 16

    /// A `HOST:PORT` (or `[v6]:PORT`) address; nil when it is not one.
    public static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    /// Reads the section with `check` (its own checker, so its problems stay its own).
    static func parse(_ node: Node, check: inout ConfigChecker) -> ServeSettings? {
        guard let pairs = check.mapping(node, what: "'serve'") else { return nil }
        check.checkKeys(pairs, allowed: ["listen", "tokens", "max_body_bytes", "duties"], in: "'serve'")
        var settings = defaults
        if let value = pairs.value(for: "listen"), let text = check.string(value, what: "serve.listen") {
            if let (host, port) = address(text) {
                (settings.host, settings.port) = (host, port)
            } else {
                check.report(value, "serve.listen must be HOST:PORT, not '\(text)'", hint: "e.g. 127.0.0.1:8765, or 0.0.0.0:8765 for every interface")
            }
        }
        if let value = pairs.value(for: "max_body_bytes"), let text = check.string(value, what: "serve.max_body_bytes") {
            if let bytes = Int(text), (1024...(1 << 30)).contains(bytes) {
                settings.maxBodyBytes = bytes
            } else {
                check.report(value, "serve.max_body_bytes must be a whole number from 1024 to 1073741824, not '\(text)'", hint: "the default is 16777216 (16 MiB)")
            }
        }
        if let value = pairs.value(for: "duties"), let duties = check.mapping(value, what: "serve.duties") {
            check.checkKeys(duties, allowed: ServeDuty.allCases.map(\.rawValue), in: "serve.duties")
            for (key, every) in duties {
                guard let name = key.string, let duty = ServeDuty(rawValue: name), let text = check.string(every, what: "serve.duties.\(name)") else { continue }
                if text == "off" {
                    settings.duties[duty] = nil
                } else if let seconds = DurationText.parse(text), seconds >= 1 {
                    settings.duties[duty] = seconds
                } else {
                    check.report(every, "serve.duties.\(name) must be a duration of at least 1s, or off, not '\(text)'",
                                 hint: "defaults: sync 30s, verify 6h, cleanup 1d")
                }
            }
        }
        if let value = pairs.value(for: "tokens"), let tokens = check.mapping(value, what: "serve.tokens") {
            check.checkKeys(tokens, allowed: ["ingest", "manager"], in: "serve.tokens")
            for (key, token) in tokens {
                guard let name = key.string, let text = check.string(token, what: "serve.tokens.\(name)") else { continue }
                guard text.count >= minimumTokenLength else {
                    check.report(token, "serve.tokens.\(name) is shorter than \(minimumTokenLength) characters",
                                 hint: "make one with 'openssl rand -hex 32' and give it through the environment")
                    continue
                }
                if name == "ingest" { settings.ingestToken = text } else if name == "manager" { settings.managerToken = text }
            }
            if settings.ingestToken != nil, settings.ingestToken == settings.managerToken {
                check.report(value, "serve.tokens.ingest and serve.tokens.manager are the same", hint: "the tills' token must not be the manager's")
            }
        }
        return settings
    }
}

/// The work `cadang serve` does on its own schedule (DESIGN §8), for the jobs whose sources take
/// items over the network.
public enum ServeDuty: String, Sendable, CaseIterable {
    /// `cadang run JOB`: ingest the inbox, verify what is new, write a set when something changed.
    case sync
    /// The newest sets' checks and the sources' verify operations.
    case verify
    /// `cadang prune JOB`: the job's retention policy, sets and records.
    case cleanup

    /// The seed's rhythm: sync every 30 s, verify every 6 h, cleanup daily.
    public static let defaultIntervals: [ServeDuty: Double] = [.sync: 30, .verify: 6 * 3600, .cleanup: 86_400]
}
