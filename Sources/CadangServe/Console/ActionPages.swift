import CadangCore
import CadangHost

/// The pages of an operation run from the console: its options form, the preview (a dry run,
/// listing exactly the records the confirmation will act on), and the result.
enum ActionPages {
    /// The options an action's form offers: the operation's own, but the keys (chosen in the list).
    static func offered(_ spec: OperationSpec, _ action: BrowseAction) -> [OptionSpec] {
        spec.options.filter { option in
            if case .path = option.type { return false }
            return option.name != action.keysOption
        }
    }

    static func form(_ context: PageContext, source: String, action: BrowseAction, spec: OperationSpec) -> HTML {
        let inputs = offered(spec, action).map { option -> HTML in
            let input: HTML
            switch option.type {
            case .boolean:
                input = "<input type=\"checkbox\" name=\"\(option.name)\" value=\"true\">"
            case .integer:
                input = "<input type=\"number\" name=\"\(option.name)\" step=\"1\">"
            default:
                input = "<input type=\"text\" name=\"\(option.name)\" placeholder=\"\(option.defaultValue?.description ?? "")\">"
            }
            return "<p><label><b>\(option.name)</b> \(input)</label><br><small>\(option.doc)</small></p>"
        }
        return Layout.page(context.t(action.label), context, language: context.language, body: """
            <p>\(spec.summary)</p>
            <form method="post" action="/sources/\(FormFields.encode(source))/actions/\(action.verb.rawValue)" id="action-form">\(context.csrfField)
            <h2>\(context.t(Words.options))</h2>\(inputs)
            <p><button type="submit" id="preview">\(context.t(Words.preview))</button></p></form>
            """)
    }

    static func preview(_ context: PageContext, source: String, action: BrowseAction, options: [(String, String)],
                        reply: OperationReply) -> HTML {
        let items = reply.items ?? []
        let lines = reply.lines.map { line -> HTML in "<li>\(line)</li>" }
        let hidden = options.flatMap { name, value in
            value.split(separator: "\n").map { part -> HTML in "<input type=\"hidden\" name=\"\(name)\" value=\"\(part)\">" }
        }
        let keys = items.map { key -> HTML in "<input type=\"hidden\" name=\"key\" value=\"\(key)\">" }
        let confirm: HTML = items.isEmpty
            ? Layout.notice(context.t(Words.nothingToDo), tone: .neutral)
            : """
              <form method="post" action="/sources/\(FormFields.encode(source))/actions/\(action.verb.rawValue)" id="confirm-form">\(context.csrfField)
              \(hidden)\(keys)<input type="hidden" name="confirm" value="1">
              <button type="submit" id="confirm">\(context.t(Words.confirm)): \(context.t(action.label)) (\(items.count))</button>
              <a href="/sources/\(FormFields.encode(source))/orders">\(context.t(Words.cancel))</a></form>
              """
        return Layout.page("\(context.t(Words.preview)): \(context.t(action.label))", context, language: context.language, body: """
            \(Layout.notice(context.t(Words.previewNote), tone: .warning))
            <ul id="preview-lines">\(lines)</ul>
            <ol id="preview-items">\(items.map { key -> HTML in "<li><code>\(key)</code></li>" })</ol>
            \(confirm)
            """)
    }

    static func result(_ context: PageContext, source: String, action: BrowseAction, reply: OperationReply) -> HTML {
        let (title, tone): (LocalizedText, BadgeTone) = switch reply.status {
        case .success: (Words.done, .good)
        case .partial: (Words.partly, .warning)
        default: (Words.failed, .bad)
        }
        let lines = reply.lines.map { line -> HTML in "<li>\(line)</li>" }
        return Layout.page("\(context.t(action.label)): \(context.t(title))", context, language: context.language, body: """
            \(Layout.notice(context.t(title), tone: tone))
            <ul id="result-lines">\(lines)</ul>
            <p><a href="/sources/\(FormFields.encode(source))/orders" id="back">\(context.t(Words.back))</a></p>
            """)
    }
}
