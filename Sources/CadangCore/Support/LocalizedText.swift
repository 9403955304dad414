/// A label in the languages of the console (DESIGN §8: Indonesian and English).
public struct LocalizedText: Sendable, Equatable, ExpressibleByStringLiteral {
    /// English.
    public var en: String
    /// Bahasa Indonesia.
    public var id: String

    /// A label in both languages.
    public init(en: String, id: String) {
        self.en = en
        self.id = id
    }

    /// The same word in both (a column name, a number).
    public init(stringLiteral value: String) {
        self.init(en: value, id: value)
    }

    /// The label in `language`.
    public func text(_ language: DisplayLanguage) -> String {
        language == .indonesian ? id : en
    }
}

/// The languages the console speaks.
public enum DisplayLanguage: String, Sendable, CaseIterable {
    case english = "en", indonesian = "id"

    /// The first language of an `Accept-Language` header (or a `lang` choice) this speaks; English otherwise.
    public static func preferred(_ header: String?) -> DisplayLanguage {
        for part in (header ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if tag.hasPrefix("id") || tag.hasPrefix("in") { return .indonesian }
            if tag.hasPrefix("en") { return .english }
        }
        return .english
    }
}
