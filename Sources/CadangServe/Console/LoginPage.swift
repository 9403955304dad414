import CadangCore

/// The login form: the manager token, and a one-time field matching a cookie so that another
/// site cannot log a browser in behind its back.
enum LoginPage {
    static func render(language: DisplayLanguage, formToken: String, message: LocalizedText?) -> HTML {
        let notice: HTML = message.map { Layout.notice($0.text(language), tone: .bad) } ?? ""
        return Layout.page(Words.logIn.text(language), nil, language: language, body: """
            \(notice)
            <form method="post" action="/login" id="login">
            <input type="hidden" name="form" value="\(formToken)">
            <p><label>\(Words.token.text(language))<br><input type="password" name="token" id="token" autocomplete="current-password" required size="48"></label></p>
            <p class="help">\(Words.tokenHelp.text(language))</p>
            <p><button type="submit">\(Words.logIn.text(language))</button></p>
            </form>
            <p><a href="/lang/\(language == .english ? "id" : "en")?back=/login">\(Words.language.text(language))</a></p>
            """)
    }
}
