/// A source that can summarise its records as figures and charts: the dashboard of `cadang
/// serve`'s console (DESIGN §8), drawn by the console as inline SVG.
///
/// Contract: `dashboard` only reads, computes its numbers with aggregates in the store (never a
/// loop over every record), and may be called from several threads at once.
public protocol DashboardProviding: Source {
    /// The figures and charts of the source's records now.
    func dashboard(state: SourceState) throws -> Dashboard
}

/// Figures and charts, in the order they are shown.
public struct Dashboard: Sendable {
    public var figures: [Figure]
    public var charts: [Chart]

    /// A dashboard.
    public init(figures: [Figure], charts: [Chart]) {
        self.figures = figures
        self.charts = charts
    }

    /// One number with its label ("Success rate 97.5 %").
    public struct Figure: Sendable {
        public var label: LocalizedText
        public var value: String
        public var tone: BadgeTone
        /// A figure.
        public init(_ label: LocalizedText, _ value: String, tone: BadgeTone = .neutral) {
            self.label = label
            self.value = value
            self.tone = tone
        }
    }

    /// A bar chart: one bar (or one group of bars, one per series) per point.
    public struct Chart: Sendable {
        /// Columns over time (days) or bars by category (states, sessions).
        public enum Kind: Sendable { case columns, bars }
        public var name: String
        public var title: LocalizedText
        public var kind: Kind
        /// What each value of a point is ("orders", "missing").
        public var series: [Series]
        public var points: [Point]

        /// A chart.
        public init(name: String, title: LocalizedText, kind: Kind, series: [Series], points: [Point]) {
            self.name = name
            self.title = title
            self.kind = kind
            self.series = series
            self.points = points
        }
    }

    /// One series of a chart.
    public struct Series: Sendable {
        public var label: LocalizedText
        public var tone: BadgeTone
        /// A series.
        public init(_ label: LocalizedText, tone: BadgeTone) {
            self.label = label
            self.tone = tone
        }
    }

    /// One point: its label and one value per series.
    public struct Point: Sendable {
        public var label: String
        public var values: [Double]
        /// A point.
        public init(_ label: String, _ values: [Double]) {
            self.label = label
            self.values = values
        }
    }
}
