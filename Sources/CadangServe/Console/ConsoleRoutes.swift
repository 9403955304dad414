import CadangCore
import CadangHost
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The web console (DESIGN §8): server-rendered pages that work without JavaScript, behind a
/// login with the manager token. Every change is a POST carrying the session's CSRF token; the
/// session cookie is `HttpOnly; SameSite=Strict`; a page without a session redirects to the login.
struct ConsoleRoutes: Sendable {
    let service: HostService
    let tokens: Tokens
    let sessions: ConsoleSessions
    let checks: SetChecks
    /// The sources with a list, in config order (the navigation).
    let browsable: [String]
    let lockWait: Double
    let logger: Logger

    static let sessionCookie = "cadang_session"
    static let loginCookie = "cadang_login"
    static let languageCookie = "cadang_lang"
    static let maxForm = 1 << 20

    func add(to router: Router<BasicRequestContext>) {
        router.get("assets/console.css") { _, _ in Responses.asset(Assets.css, type: "text/css; charset=utf-8") }
        router.get("assets/console.js") { _, _ in Responses.asset(Assets.javascript, type: "text/javascript; charset=utf-8") }
        router.get("lang/:language") { request, context in
            let chosen = DisplayLanguage(rawValue: try context.parameters.require("language")) ?? .english
            return Responses.redirect(Self.localPath(FormFields(request.uri.query)["back"]),
                                      headers: [.setCookie: "\(Self.languageCookie)=\(chosen.rawValue); Path=/; Max-Age=31536000; SameSite=Strict"])
        }
        router.get("login") { request, _ in login(request, message: nil) }
        router.post("login") { request, _ in try await logIn(request) }
        router.post("logout") { request, _ in
            try await page(request, form: true) { _, session, _ in
                sessions.remove(session.id)
                return Responses.redirect("/login", headers: [.setCookie: Self.cookie(Self.sessionCookie, "", request: request, maxAge: 0)])
            }
        }
        router.get("") { request, _ in
            try await page(request) { context, _, _ in
                let (sets, jobs) = try await BlockingWork.run { (service.sets(), service.jobs) }
                return Responses.html(SetsPage.render(context, jobs: jobs, sets: sets, checks: checks.all))
            }
        }
        router.post("verify") { request, _ in
            try await page(request, form: true) { _, _, _ in
                let found = await (try? BlockingWork.run { service.checkNewestSets() }) ?? []
                checks.record(found)
                return Responses.redirect("/")
            }
        }
        router.get("sources/:source/orders") { request, context in
            let source = try context.parameters.require("source")
            return try await page(request) { page, _, _ in
                var parameters: [String: String] = [:]
                var number = 1
                for (name, value) in FormFields(request.uri.query).pairs where !value.isEmpty {
                    if name == "page" { number = max(1, Int(value) ?? 1) } else { parameters[name] = value }
                }
                let (declaration, result, actions) = try await BlockingWork.run { [parameters, number] in
                    let declaration = try service.browsing(source: source)
                    let verbs = Set(service.operations(of: source).map(\.verb))
                    let actions = declaration.actions.filter { verbs.contains($0.verb) && $0.keysOption != nil }
                    return (declaration, try service.browse(source: source, parameters: parameters, page: number), actions)
                }
                return Responses.html(OrdersPage.render(page, source: source, declaration: declaration, parameters: parameters,
                                                        page: result, actions: actions))
            }
        }
        router.get("sources/:source/orders/:key") { request, context in
            let source = try context.parameters.require("source"), key = try context.parameters.require("key")
            return try await page(request) { page, _, _ in
                let (declaration, record) = try await BlockingWork.run {
                    (try service.browsing(source: source), try service.record(source: source, key: key))
                }
                guard let record else { throw HTTPFailure(.notFound, "source '\(source)' has no record '\(key)'") }
                return Responses.html(RecordPage.render(page, source: source, declaration: declaration, record: record))
            }
        }
        router.get("sources/:source/dashboard") { request, context in
            let source = try context.parameters.require("source")
            return try await page(request) { page, _, _ in
                let dashboard = try await BlockingWork.run { try service.dashboard(source: source) }
                return Responses.html(DashboardPage.render(page, source: source, dashboard: dashboard))
            }
        }
        router.get("sources/:source/actions/:verb") { request, context in
            let source = try context.parameters.require("source"), verb = try context.parameters.require("verb")
            return try await page(request) { page, _, _ in
                let (action, spec) = try await self.action(source, verb)
                return Responses.html(ActionPages.form(page, source: source, action: action, spec: spec))
            }
        }
        router.post("sources/:source/actions/:verb") { request, context in
            let source = try context.parameters.require("source"), verb = try context.parameters.require("verb")
            return try await page(request, form: true) { page, _, fields in
                try await perform(page, source: source, verb: verb, fields: fields)
            }
        }
    }

    // MARK: Pages and forms

    /// Runs `body` for a browser with a live session (else: a redirect to the login, or for a
    /// form, 403); a form's body is read and its CSRF token checked first. Errors become a page.
    private func page(_ request: Request, form: Bool = false,
                      _ body: (PageContext, ConsoleSessions.Session, FormFields) async throws -> Response) async throws -> Response {
        let language = Self.language(request)
        guard let session = sessions.session(request.cookies[Self.sessionCookie]?.value) else {
            if form { return errorPage(HTTPFailure(.forbidden, "not logged in: log in again"), language: language, context: nil) }
            return Responses.redirect("/login")
        }
        let context = PageContext(language: language, csrf: session.csrf, path: request.uri.path, browsable: browsable)
        do {
            var fields = FormFields(nil)
            if form {
                var request = request
                let body = try await request.collectBody(upTo: Self.maxForm)
                fields = FormFields(String(buffer: body))
                guard let token = fields["csrf"], ConstantTime.equal(token, session.csrf) else {
                    throw HTTPFailure(.forbidden, "the form carries no valid CSRF token; reload the page and try again")
                }
            }
            return try await body(context, session, fields)
        } catch {
            return errorPage(HTTPFailure.from(error), language: language, context: context)
        }
    }

    private func errorPage(_ failure: HTTPFailure, language: DisplayLanguage, context: PageContext?) -> Response {
        if failure.status == .internalServerError { logger.error("console: \(failure.message)") }
        let title = failure.status == .notFound ? Words.notFound : Words.error
        return Responses.html(Layout.page(title.text(language), context, language: language,
                                          body: Layout.notice(failure.message, tone: .bad)), status: failure.status)
    }

    private func login(_ request: Request, message: LocalizedText?, status: HTTPResponse.Status = .ok) -> Response {
        let formToken = ConsoleSessions.randomToken()
        return Responses.html(LoginPage.render(language: Self.language(request), formToken: formToken, message: message), status: status,
                              headers: [.setCookie: Self.cookie(Self.loginCookie, formToken, request: request, maxAge: 3600)])
    }

    private func logIn(_ request: Request) async throws -> Response {
        var request = request
        let fields = FormFields(String(buffer: try await request.collectBody(upTo: Self.maxForm)))
        guard let expected = request.cookies[Self.loginCookie]?.value, let given = fields["form"], ConstantTime.equal(expected, given) else {
            return login(request, message: Words.expired, status: .forbidden)
        }
        guard let token = fields["token"], tokens.role(of: token) == .manager else {
            // A pause makes guessing slow; the tokens are long enough that it is only a courtesy.
            try? await Task.sleep(for: .milliseconds(500))
            logger.notice("console: a login with a wrong token")
            // 200, not 401: the page itself says what is wrong, and a browser logs a 401 as an error.
            return login(request, message: Words.wrongToken)
        }
        let session = sessions.create()
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: Self.cookie(Self.sessionCookie, session.id, request: request, maxAge: nil)))
        headers.append(HTTPField(name: .setCookie, value: Self.cookie(Self.loginCookie, "", request: request, maxAge: 0)))
        return Responses.redirect("/", headers: headers)
    }

    /// The declared action for `verb` of `source`, and its operation's declaration.
    private func action(_ source: String, _ verb: String) async throws -> (BrowseAction, OperationSpec) {
        let declaration = try await BlockingWork.run { try service.browsing(source: source) }
        guard let verb = OperationVerb(rawValue: verb), let action = declaration.actions.first(where: { $0.verb == verb }),
              let spec = service.operations(of: source).first(where: { $0.verb == verb }) else {
            throw HTTPFailure(.notFound, "source '\(source)' has no action '\(verb)'")
        }
        return (action, spec)
    }

    /// A preview (a dry run) or, with `confirm`, the run itself, on the chosen keys.
    private func perform(_ page: PageContext, source: String, verb: String, fields: FormFields) async throws -> Response {
        let (action, spec) = try await self.action(source, verb)
        var options: [(String, String)] = []
        for option in ActionPages.offered(spec, action) {
            let values = fields.all(option.name).flatMap { $0.split(whereSeparator: { $0 == "," || $0 == "\n" }) }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !values.isEmpty else { continue }
            options.append((option.name, values.joined(separator: "\n")))
        }
        let keys = fields.all("key").filter { !$0.isEmpty }
        if fields["from_list"] == "1", keys.isEmpty {
            throw HTTPFailure(.badRequest, page.t(Words.chooseRows))
        }
        var operationOptions = Dictionary(options, uniquingKeysWith: { $1 })
        if let keysOption = action.keysOption, !keys.isEmpty { operationOptions[keysOption] = keys.joined(separator: "\n") }
        let confirmed = fields["confirm"] == "1"
        if confirmed, keys.isEmpty {
            throw HTTPFailure(.badRequest, "a confirmation names the records of its preview; this one names none")
        }
        let reply = try await BlockingWork.run { [operationOptions, lockWait] in
            try service.perform(action.verb, source: source, options: operationOptions, dryRun: !confirmed, lockWait: lockWait)
        }
        logger.notice("console: \(action.verb.rawValue) of source '\(source)'\(confirmed ? "" : " (preview)"): \(reply.lines.last ?? "")")
        if confirmed {
            return Responses.html(ActionPages.result(page, source: source, action: action, reply: reply))
        }
        return Responses.html(ActionPages.preview(page, source: source, action: action, options: options, reply: reply))
    }

    // MARK: Cookies, language, paths

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Secure behind a TLS proxy that says so.
    static func cookie(_ name: String, _ value: String, request: Request, maxAge: Int?) -> String {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" { text += "; Secure" }
        return text
    }

    /// The language chosen by the switch, else the browser's.
    static func language(_ request: Request) -> DisplayLanguage {
        if let chosen = request.cookies[languageCookie].flatMap({ DisplayLanguage(rawValue: $0.value) }) { return chosen }
        return DisplayLanguage.preferred(request.headers[.acceptLanguage])
    }

    /// `path` when it is a path of this site (never another site: `//host`, `http:`), else `/`.
    static func localPath(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), !path.contains("\r"), !path.contains("\n") else { return "/" }
        return path
    }
}

/// The latest check of each set, from the console's button or the verify duty.
final class SetChecks: @unchecked Sendable {
    private let lock = NSLock()
    private var bySet: [String: SetCheck] = [:]

    func record(_ checks: [SetCheck]) {
        lock.withLock { for check in checks { bySet[check.setID] = check } }
    }

    var all: [String: SetCheck] { lock.withLock { bySet } }
}
