import CadangCore
import Foundation

/// The console's dashboard of a `pos-orders` source (DESIGN §8): orders per day, states, success
/// rate and missing by session, from the same aggregates as `cadang stats pos`.
extension POSOrderSource: DashboardProviding {
    public func dashboard(state: SourceState) throws -> Dashboard {
        let store = try OrderStore(location(state))
        let stats = try OrderStore.wrap { try OrderStats.compute(store.database, timeZone: timeZone) }
        return stats.dashboard
    }
}

extension OrderStats {
    /// Days shown in the chart of orders per day: the newest, so a year of orders stays readable.
    static let dashboardDays = 60
    /// Sessions (and configs) shown with their missing orders: those with the most.
    static let dashboardGroups = 15

    /// This report as figures and charts.
    var dashboard: Dashboard {
        let missing = perDay.reduce(0) { $0 + $1.missing }
        let rate = String(format: "%.1f %%", successRate * 100)
        func group(_ counts: [MissingCount], none: String) -> [Dashboard.Point] {
            counts.prefix(Self.dashboardGroups).map { Dashboard.Point($0.id.map(String.init) ?? none, [Double($0.missing)]) }
        }
        return Dashboard(
            figures: [
                .init(LocalizedText(en: "Orders", id: "Pesanan"), String(total)),
                .init(LocalizedText(en: "Success rate", id: "Tingkat berhasil"), rate, tone: successRate >= 0.99 || total == 0 ? .good : .warning),
                .init(LocalizedText(en: "Missing on Server", id: "Tidak ada di server"), String(missing), tone: missing == 0 ? .good : .bad),
                .init(LocalizedText(en: "Errors", id: "Gagal"), String(byState["error"]), tone: byState["error"] == 0 ? .good : .bad),
            ],
            charts: [
                .init(name: "per_day", title: LocalizedText(en: "Orders per day", id: "Pesanan per hari"), kind: .columns,
                      series: [.init(LocalizedText(en: "orders", id: "pesanan"), tone: .info),
                               .init(LocalizedText(en: "missing", id: "tidak ada"), tone: .bad)],
                      points: perDay.suffix(Self.dashboardDays).map { Dashboard.Point($0.day, [Double($0.orders), Double($0.missing)]) }),
                .init(name: "states", title: LocalizedText(en: "Orders by state", id: "Pesanan per status"), kind: .bars,
                      series: [.init(LocalizedText(en: "orders", id: "pesanan"), tone: .info)],
                      points: Self.states.map { Dashboard.Point($0, [Double(byState[$0])]) }),
                .init(name: "missing_by_session", title: LocalizedText(en: "Missing by session", id: "Tidak ada per sesi"), kind: .bars,
                      series: [.init(LocalizedText(en: "missing", id: "tidak ada"), tone: .bad)],
                      points: group(missingBySession, none: "—")),
                .init(name: "missing_by_config", title: LocalizedText(en: "Missing by till (config)", id: "Tidak ada per kasir"), kind: .bars,
                      series: [.init(LocalizedText(en: "missing", id: "tidak ada"), tone: .bad)],
                      points: group(missingByConfig, none: "—")),
            ])
    }
}
