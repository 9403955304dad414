import Foundation

extension OrderStats {
    /// How many sessions the missing-by-session chart shows (the table below it has them all).
    static let chartListLimit = 20

    /// The report as one self-contained HTML page (`--html FILE`): inline CSS and SVG charts, no
    /// script, no external resource, every value escaped. `generatedAt` is shown in UTC.
    func html(title: String, generatedAt: Date) -> String {
        let e = StatsHTML.escape as (String) -> String
        let generated = OdooTimestamp.format(secondsSinceEpoch: Int(generatedAt.timeIntervalSince1970.rounded(.down)))
        var body = """
            <h1>\(e(title))</h1>
            <p class="meta">generated \(e(generated)) UTC</p>
            <p class="summary"><b>\(StatsHTML.escape(total))</b> orders · success rate <b>\(e(successPercent))</b> \
            (verified + imported + duplicate) · <b>\(StatsHTML.escape(missingTotal))</b> missing on server</p>

            """
        body += "<h2>Orders and missing orders per day</h2>\n" + dayChart()
        body += "<h2>Orders by state</h2>\n"
            + barChart(Self.states.map { (label: $0, value: byState[$0]) }, color: "#4c78a8")
        body += "<h2>Missing on server by session</h2>\n"
        if missingBySession.isEmpty {
            body += "<p>none</p>\n"
        } else {
            body += barChart(missingBySession.prefix(Self.chartListLimit).map { (label: Self.label("session", $0.id), value: $0.missing) },
                             color: "#e45756")
            body += table(["session", "missing"], missingBySession.map { [Self.label("session", $0.id), String($0.missing)] })
        }
        body += "<h2>Missing on server by config</h2>\n"
        body += missingByConfig.isEmpty ? "<p>none</p>\n"
            : table(["config", "missing"], missingByConfig.map { [Self.label("config", $0.id), String($0.missing)] })
        body += "<h2>Per day</h2>\n"
        body += perDay.isEmpty ? "<p>no order has an order date</p>\n"
            : table(["day", "orders", "missing"], perDay.map { [$0.day, String($0.orders), String($0.missing)] })
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(e(title))</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 760px; color: #222; }
            h1 { font-size: 1.5em; margin-bottom: 0; } h2 { font-size: 1.1em; margin-top: 2em; }
            .meta { color: #777; margin-top: 0; }
            svg { display: block; max-width: 100%; height: auto; } svg text { font-size: 11px; fill: #444; }
            table { border-collapse: collapse; margin-top: .5em; } td, th { padding: 2px 12px 2px 0; text-align: right; }
            td:first-child, th:first-child { text-align: left; } th { border-bottom: 1px solid #ccc; }
            .key span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// All orders missing on the server.
    var missingTotal: Int { missingBySession.reduce(0) { $0 + $1.missing } }

    /// `session 42`, or `no session` for orders without one.
    private static func label(_ name: String, _ id: Int64?) -> String {
        id.map { "\(name) \($0)" } ?? "no \(name)"
    }

    /// Vertical bars per day: all orders, and the missing ones over them from the same baseline.
    private func dayChart() -> String {
        guard !perDay.isEmpty else { return "<p>no order has an order date</p>\n" }
        let width = 720.0, height = 180.0, left = 40.0, bottom = 20.0
        let plot = width - left, top = height - bottom
        let highest = Double(max(1, perDay.map(\.orders).max() ?? 1))
        let step = plot / Double(perDay.count)
        let bar = max(0.5, step * 0.8)
        func y(_ value: Int) -> Double { top - Double(value) / highest * (top - 10) }
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" "
            + "aria-label=\"orders and missing orders per day\">\n"
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(top))\" x2=\"\(Int(width))\" y2=\"\(Int(top))\" stroke=\"#999\"/>\n"
        svg += "<text x=\"\(Int(left) - 4)\" y=\"14\" text-anchor=\"end\">\(StatsHTML.escape(Int(highest)))</text>\n"
        svg += "<text x=\"\(Int(left) - 4)\" y=\"\(Int(top))\" text-anchor=\"end\">0</text>\n"
        for (index, day) in perDay.enumerated() {
            let x = StatsHTML.coordinate(left + Double(index) * step)
            let tip = StatsHTML.escape("\(day.day): \(day.orders) orders, \(day.missing) missing")
            svg += "<g><title>\(tip)</title>"
            svg += "<rect x=\"\(x)\" y=\"\(StatsHTML.coordinate(y(day.orders)))\" width=\"\(StatsHTML.coordinate(bar))\" "
                + "height=\"\(StatsHTML.coordinate(top - y(day.orders)))\" fill=\"#4c78a8\"/>"
            if day.missing > 0 {
                svg += "<rect x=\"\(x)\" y=\"\(StatsHTML.coordinate(y(day.missing)))\" width=\"\(StatsHTML.coordinate(bar))\" "
                    + "height=\"\(StatsHTML.coordinate(max(1, top - y(day.missing))))\" fill=\"#e45756\"/>"
            }
            svg += "</g>\n"
        }
        // The first and last day under the axis; a tooltip (title) names every bar.
        svg += "<text x=\"\(Int(left))\" y=\"\(Int(height) - 4)\">\(StatsHTML.escape(perDay[0].day))</text>\n"
        if perDay.count > 1 {
            svg += "<text x=\"\(Int(width))\" y=\"\(Int(height) - 4)\" text-anchor=\"end\">\(StatsHTML.escape(perDay[perDay.count - 1].day))</text>\n"
        }
        svg += "</svg>\n"
        return svg + "<p class=\"key\"><span style=\"background:#4c78a8\"></span>orders<span style=\"background:#e45756\"></span>missing on server</p>\n"
    }

    /// Horizontal bars, one per labelled value, the value written after its bar.
    private func barChart(_ bars: [(label: String, value: Int)], color: String) -> String {
        let rowHeight = 20.0, labelWidth = 110.0, width = 720.0
        let plot = width - labelWidth - 60
        let highest = Double(max(1, bars.map(\.value).max() ?? 1))
        let height = Int(rowHeight * Double(bars.count)) + 4
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(height)\" width=\"\(Int(width))\" height=\"\(height)\" role=\"img\">\n"
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * rowHeight + 2
            let length = Double(bar.value) / highest * plot
            svg += "<text x=\"\(Int(labelWidth) - 6)\" y=\"\(StatsHTML.coordinate(y + 13))\" text-anchor=\"end\">\(StatsHTML.escape(bar.label))</text>"
            svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(StatsHTML.coordinate(y + 2))\" width=\"\(StatsHTML.coordinate(length))\" "
                + "height=\"\(Int(rowHeight) - 6)\" fill=\"\(StatsHTML.escape(color))\"/>"
            svg += "<text x=\"\(StatsHTML.coordinate(labelWidth + length + 4))\" y=\"\(StatsHTML.coordinate(y + 13))\">\(StatsHTML.escape(bar.value))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A plain table; every cell escaped.
    private func table(_ headings: [String], _ rows: [[String]]) -> String {
        var html = "<table>\n<tr>" + headings.map { "<th>\(StatsHTML.escape($0))</th>" }.joined() + "</tr>\n"
        for row in rows { html += "<tr>" + row.map { "<td>\(StatsHTML.escape($0))</td>" }.joined() + "</tr>\n" }
        return html + "</table>\n"
    }
}
