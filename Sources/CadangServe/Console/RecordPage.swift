import CadangCore

/// One record: its fields, its tables (versions, lines, events) and its documents (payloads) —
/// every value shown as text, a receipt's HTML included.
enum RecordPage {
    static func render(_ context: PageContext, source: String, declaration: BrowseDeclaration, record: RecordDetail) -> HTML {
        let fields = record.fields.map { field -> HTML in
            let value: HTML = field.name == declaration.stateColumn
                ? Layout.badge(field.value.text, tone: declaration.tones[field.value.text] ?? .neutral)
                : "\(field.value.text)"
            return "<tr><th>\(field.name)</th><td>\(value)</td></tr>"
        }
        let tables = record.tables.map { table -> HTML in
            """
            <h2>\(context.t(table.title))</h2>
            \(Layout.table(table.columns, table.rows.map { $0.map(\.text) }, id: table.name))
            """
        }
        let documents = record.documents.map { document -> HTML in
            "<details open><summary>\(context.t(Words.payload)): \(document.title)</summary><pre class=\"payload\">\(document.text)</pre></details>"
        }
        return Layout.page("\(context.t(declaration.noun)) \(record.title)", context, language: context.language, body: """
            <p><a href="/sources/\(FormFields.encode(source))/orders">\(context.t(Words.back))</a></p>
            <h2>\(context.t(Words.fields))</h2><table id="fields">\(fields)</table>
            \(tables)\(documents)
            """)
    }
}
