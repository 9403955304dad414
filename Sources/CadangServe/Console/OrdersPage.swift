import CadangCore

/// A source's list (the orders): smart filters, the filter form from its declaration, one page of
/// rows with state badges, paging, and the actions its chosen rows can go to.
enum OrdersPage {
    static func render(_ context: PageContext, source: String, declaration: BrowseDeclaration,
                       parameters: [String: String], page: BrowsePage, actions: [BrowseAction]) -> HTML {
        let base = "/sources/\(FormFields.encode(source))/orders"
        let presets = declaration.presets.map { preset -> HTML in
            let active = preset.parameters.allSatisfy { parameters[$0.key] == $0.value } && parameters.count == preset.parameters.count
            let query = FormFields.query(preset.parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            return "<a href=\"\(base)?\(query)\" class=\"preset\(active ? HTML(" active") : "")\" data-preset=\"\(preset.name)\">\(context.t(preset.label))</a>"
        }
        let fields = declaration.filters.map { filter in field(filter, value: parameters[filter.name], context: context) }
        let listed = declaration.listed.filter { page.columns.contains($0) }
        let keyColumn = page.columns.first ?? "key"
        let heads = listed.map { column -> HTML in "<th>\(column)</th>" }
        let rows = page.rows.map { row -> HTML in
            let key = page.value(keyColumn, in: row).text
            let cells = listed.map { column -> HTML in
                let value = page.value(column, in: row).text
                if column == declaration.stateColumn {
                    return "<td>\(Layout.badge(value, tone: declaration.tones[value] ?? .neutral))</td>"
                }
                if column == keyColumn {
                    return "<td><a href=\"\(base)/\(FormFields.encode(key))\">\(value)</a></td>"
                }
                return "<td>\(value)</td>"
            }
            return "<tr><td><input type=\"checkbox\" name=\"key\" value=\"\(key)\" aria-label=\"\(key)\"></td>\(cells)</tr>"
        }
        let first = page.total == 0 ? 0 : (page.page - 1) * page.pageSize + 1
        let last = min(page.total, page.page * page.pageSize)
        func link(_ number: Int, _ label: LocalizedText, id: String) -> HTML {
            var pairs = parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            pairs.append(("page", String(number)))
            return "<a href=\"\(base)?\(FormFields.query(pairs))\" id=\"\(id)\">\(context.t(label))</a>"
        }
        let paging: HTML = """
            <p class="paging"><span id="range">\(first)–\(last) \(context.t(Words.of)) \(page.total)</span>
            \(page.page > 1 ? link(page.page - 1, Words.previous, id: "previous") : "")
            \(context.t(Words.page)) \(page.page) / \(page.pageCount)
            \(page.page < page.pageCount ? link(page.page + 1, Words.next, id: "next") : "")</p>
            """
        let buttons = actions.map { action -> HTML in
            "<button type=\"submit\" formaction=\"/sources/\(FormFields.encode(source))/actions/\(action.verb.rawValue)\" name=\"from_list\" value=\"1\" id=\"action-\(action.verb.rawValue)\">\(context.t(action.label))</button>"
        }
        let others = declaration.actions.map { action -> HTML in
            "<a href=\"/sources/\(FormFields.encode(source))/actions/\(action.verb.rawValue)\" id=\"form-\(action.verb.rawValue)\">\(context.t(action.label))…</a>"
        }
        let table: HTML = page.rows.isEmpty
            ? Layout.notice(context.t(Words.nothingFound), tone: .neutral)
            : """
              <form method="post" id="selection">\(context.csrfField)
              <table id="orders"><thead><tr><th><input type="checkbox" id="select-all" aria-label="\(context.t(Words.selectAll))"></th>\(heads)</tr></thead>
              <tbody>\(rows)</tbody></table>
              <p>\(buttons)</p></form>
              """
        return Layout.page("\(source): \(context.t(declaration.plural))", context, language: context.language, body: """
            <p class="presets"><a href="\(base)" class="preset\(parameters.isEmpty ? HTML(" active") : "")">\(context.t(Words.all))</a>\(presets)</p>
            <form method="get" action="\(base)" class="filters" id="filters">\(fields)
            <button type="submit">\(context.t(Words.filter))</button> <a href="\(base)">\(context.t(Words.clear))</a></form>
            \(paging)\(table)
            <p>\(HTML.joined(others, separator: " · "))</p>
            """)
    }

    /// One filter's input, made from its declaration.
    static func field(_ filter: BrowseFilter, value: String?, context: PageContext) -> HTML {
        let label = context.t(filter.label)
        switch filter.kind {
        case .choice(let values):
            let options = ([""] + values).map { option -> HTML in
                "<option value=\"\(option)\"\(option == (value ?? "") ? HTML(" selected") : "")>\(option.isEmpty ? context.t(Words.any) : option)</option>"
            }
            return "<label>\(label)<select name=\"\(filter.name)\">\(options)</select></label>"
        case .flag:
            let on = BrowseFilter.isOn(value)
            return "<label>\(label)<input type=\"checkbox\" name=\"\(filter.name)\" value=\"1\"\(on ? HTML(" checked") : "")></label>"
        case .day:
            return "<label>\(label)<input type=\"date\" name=\"\(filter.name)\" value=\"\(value ?? "")\"></label>"
        case .integer:
            return "<label>\(label)<input type=\"number\" name=\"\(filter.name)\" value=\"\(value ?? "")\" min=\"0\" step=\"1\"></label>"
        case .text:
            return "<label>\(label)<input type=\"search\" name=\"\(filter.name)\" value=\"\(value ?? "")\" maxlength=\"200\"></label>"
        }
    }
}
