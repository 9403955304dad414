import Foundation

/// The language Cadang speaks to a person in its menu and starter config: Bahasa Indonesia when
/// the locale asks for it, English otherwise. Output meant for programs (`--json`, exit codes,
/// file formats) never depends on it.
public enum Language: String, Sendable, CaseIterable {
    case english = "en"
    case indonesian = "id"

    /// The language of the locale in `environment`: the first of `LC_ALL`, `LC_MESSAGES` and
    /// `LANG` that is set and not empty decides (POSIX's order), Indonesian when it starts with
    /// `id` (`id`, `id_ID.UTF-8`), English for anything else or nothing.
    public static func ofLocale(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        guard let locale else { return .english }
        let language = locale.prefix { $0 != "_" && $0 != "." && $0 != "@" }
        return language == "id" ? .indonesian : .english
    }

    /// `english` or `indonesian`, whichever this language is.
    public func pick(_ english: String, _ indonesian: String) -> String {
        self == .indonesian ? indonesian : english
    }
}
