import CadangCore

/// What every page of a logged-in browser knows: its language, its CSRF token, where it is, and
/// the sources with a list.
struct PageContext: Sendable {
    var language: DisplayLanguage
    var csrf: String
    var path: String
    var browsable: [String]

    /// `text` in the page's language.
    func t(_ text: LocalizedText) -> String { text.text(language) }

    /// The hidden field every form carries.
    var csrfField: HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">" }
}

/// The frame of every page: head, navigation, language switch, logout.
enum Layout {
    /// A whole page.
    static func page(_ title: String, _ context: PageContext?, language: DisplayLanguage, body: HTML) -> HTML {
        var navigation = HTML.empty
        if let context {
            let sources = context.browsable.map { source -> HTML in
                """
                <a href="/sources/\(FormFields.encode(source))/orders">\(source)</a>
                <a href="/sources/\(FormFields.encode(source))/dashboard">\(context.t(Words.dashboard))</a>
                """
            }
            navigation = """
                <nav><a href="/" class="brand">\(context.t(Words.console))</a>
                <a href="/">\(context.t(Words.backups))</a>\(sources)
                <span class="spacer"></span>
                <a href="/lang/\(language == .english ? "id" : "en")?back=\(FormFields.encode(context.path))" id="language">\(context.t(Words.language))</a>
                <form method="post" action="/logout" class="inline">\(context.csrfField)<button type="submit" id="logout">\(context.t(Words.logOut))</button></form>
                </nav>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Cadang</title><link rel="icon" href="data:,">
            <link rel="stylesheet" href="/assets/console.css"><script src="/assets/console.js" defer></script>
            </head><body>\(navigation)<main><h1>\(title)</h1>
            \(body)
            </main></body></html>
            """
    }

    /// A state badge in its tone's colour.
    static func badge(_ text: String, tone: BadgeTone) -> HTML {
        "<span class=\"badge \(tone.rawValue)\">\(text)</span>"
    }

    /// A table of texts (every cell escaped).
    static func table(_ columns: [String], _ rows: [[String]], id: String? = nil) -> HTML {
        let head = columns.map { column -> HTML in "<th>\(column)</th>" }
        let body = rows.map { row -> HTML in "<tr>\(row.map { cell -> HTML in "<td>\(cell)</td>" })</tr>" }
        let attribute: HTML = id.map { "id=\"\($0)\"" } ?? ""
        return "<table \(attribute)><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }

    /// A one-line message.
    static func notice(_ text: String, tone: BadgeTone) -> HTML {
        "<p class=\"notice \(tone.rawValue)\">\(text)</p>"
    }
}
