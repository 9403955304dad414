import CadangCore

/// A bar chart as SVG: columns over time, or horizontal bars by category, one bar per series
/// value, with a legend and a title per bar (the browser's tooltip) holding the exact numbers.
enum SVGChart {
    static func render(_ chart: Dashboard.Chart, language: DisplayLanguage) -> HTML {
        guard !chart.points.isEmpty else { return "<p>—</p>" }
        let largest = max(1, chart.points.flatMap(\.values).max() ?? 1)
        let legend = chart.series.enumerated().map { index, series -> HTML in
            "<rect x=\"\(index * 110)\" y=\"0\" width=\"10\" height=\"10\" class=\"\(series.tone.rawValue)\"/><text x=\"\(index * 110 + 14)\" y=\"9\">\(series.label.text(language))</text>"
        }
        switch chart.kind {
        case .columns:
            let groupWidth = max(6, min(40, 900 / chart.points.count))
            let barWidth = max(2, (groupWidth - 2) / max(1, chart.series.count))
            let height = 160.0
            // Wide enough for the legend and a day's label however few the days.
            let width = max(420, groupWidth * chart.points.count + 80)
            let bars = chart.points.enumerated().map { index, point -> HTML in
                let x = 40 + index * groupWidth
                let group = point.values.enumerated().map { series, value -> HTML in
                    let h = Int((value / largest * height).rounded())
                    let tone = chart.series.indices.contains(series) ? chart.series[series].tone : .neutral
                    let label = chart.series.indices.contains(series) ? chart.series[series].label.text(language) : ""
                    return "<rect x=\"\(x + series * barWidth)\" y=\"\(20 + Int(height) - h)\" width=\"\(barWidth)\" height=\"\(h)\" class=\"\(tone.rawValue)\"><title>\(point.label): \(Int(value)) \(label)</title></rect>"
                }
                // A label every few columns keeps the axis readable.
                let every = max(1, chart.points.count / 8)
                let axis: HTML = index % every == 0 ? "<text x=\"\(x)\" y=\"\(Int(height) + 34)\">\(point.label)</text>" : ""
                return "\(group)\(axis)"
            }
            return """
                <svg role="img" width="\(width)" height="\(Int(height) + 40)" viewBox="0 0 \(width) \(Int(height) + 40)" xmlns="http://www.w3.org/2000/svg">
                <g>\(legend)</g><text x="0" y="28">\(Int(largest))</text><text x="0" y="\(Int(height) + 20)">0</text>\(bars)</svg>
                """
        case .bars:
            let rowHeight = 22
            let width = 640
            let bars = chart.points.enumerated().map { index, point -> HTML in
                let y = 20 + index * rowHeight
                let value = point.values.first ?? 0
                let w = Int((value / largest * Double(width - 220)).rounded())
                let tone = chart.series.first?.tone ?? .neutral
                return """
                    <text x="0" y="\(y + 14)">\(point.label)</text>
                    <rect x="120" y="\(y + 3)" width="\(w)" height="\(rowHeight - 6)" class="\(tone.rawValue)"><title>\(point.label): \(Int(value))</title></rect>
                    <text x="\(126 + w)" y="\(y + 14)">\(Int(value))</text>
                    """
            }
            let height = 24 + chart.points.count * rowHeight
            return """
                <svg role="img" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" xmlns="http://www.w3.org/2000/svg">
                <g>\(legend)</g>\(bars)</svg>
                """
        }
    }
}
