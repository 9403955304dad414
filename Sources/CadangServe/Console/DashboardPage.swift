import CadangCore

/// A source's dashboard: its figures, and its charts drawn as inline SVG (no script, no image
/// files: the page works offline and under the console's content policy).
enum DashboardPage {
    static func render(_ context: PageContext, source: String, dashboard: Dashboard) -> HTML {
        let figures = dashboard.figures.map { figure -> HTML in
            "<div class=\"figure \(figure.tone.rawValue)\"><b>\(figure.value)</b>\(context.t(figure.label))</div>"
        }
        let charts = dashboard.charts.map { chart -> HTML in
            "<section class=\"chart\" id=\"chart-\(chart.name)\"><h2>\(context.t(chart.title))</h2>\(SVGChart.render(chart, language: context.language))</section>"
        }
        return Layout.page("\(source): \(context.t(Words.dashboard))", context, language: context.language, body: """
            <div class="figures">\(figures)</div>\(charts)
            """)
    }
}
