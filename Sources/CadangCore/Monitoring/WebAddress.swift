import Foundation

/// An `http://` or `https://` address given as a plugin option: checked once by `check(_:)`, read by `init`.
public enum WebAddress {
    /// The option's value as a URL, when it is an absolute http(s) address.
    public static func url(_ text: String?) -> URL? {
        guard let text, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host?.isEmpty == false else { return nil }
        return url
    }

    /// A problem unless option `name` holds an http(s) address.
    public static func check(_ options: PluginOptions, _ name: String) -> [OptionProblem] {
        guard let text = options.string(name) else { return [] }
        guard url(text) == nil else { return [] }
        return [OptionProblem(option: name, "must be an http:// or https:// address, not '\(text)'",
                              fix: "e.g. https://hc-ping.com/UUID; give secrets as ${VAR}")]
    }

    /// `base` with `path` appended as further path components (e.g. `/start`, `/3`).
    public static func appending(_ path: String, to base: URL) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return URL(string: text + "/" + path) ?? base
    }
}
