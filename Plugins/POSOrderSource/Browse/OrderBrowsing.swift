import CadangCore
import Foundation

/// The orders list of `cadang serve` (DESIGN §8): filters by state, missing, ready to import,
/// session, config, days, and a key or reference; one order's versions, lines and events.
extension POSOrderSource: RecordBrowsing {
    static let browseDeclaration = BrowseDeclaration(
        noun: LocalizedText(en: "order", id: "pesanan"), plural: LocalizedText(en: "Orders", id: "Pesanan"),
        filters: [
            BrowseFilter("state", LocalizedText(en: "State", id: "Status"), .choice(OrderState.allCases.map(\.rawValue))),
            BrowseFilter("missing", LocalizedText(en: "Missing on Server", id: "Tidak ada di server"), .flag),
            BrowseFilter("ready", LocalizedText(en: "Ready to Import", id: "Siap diimpor"), .flag),
            BrowseFilter("session", LocalizedText(en: "Session", id: "Sesi"), .integer),
            BrowseFilter("config", LocalizedText(en: "Till (config)", id: "Kasir (config)"), .integer),
            BrowseFilter("from", LocalizedText(en: "From day", id: "Dari tanggal"), .day),
            BrowseFilter("to", LocalizedText(en: "To day", id: "Sampai tanggal"), .day),
            BrowseFilter("days", LocalizedText(en: "Last N days", id: "N hari terakhir"), .integer),
            BrowseFilter("q", LocalizedText(en: "Key or reference", id: "Kunci atau nomor"), .text),
        ],
        presets: [
            BrowsePreset("missing", LocalizedText(en: "Missing on Server", id: "Tidak ada di server"), ["missing": "1"]),
            BrowsePreset("ready", LocalizedText(en: "Ready to Import", id: "Siap diimpor"), ["ready": "1"]),
            BrowsePreset("last7", LocalizedText(en: "Last 7 Days", id: "7 hari terakhir"), ["days": "7"]),
        ],
        listed: ["key", "pos_reference", "order_date", "session_id", "config_id", "amount_total", "lines", "versions", "state", "last_error"],
        stateColumn: "state",
        tones: ["synced": .info, "verified": .good, "imported": .good, "duplicate": .neutral, "error": .bad],
        actions: [
            BrowseAction(.restore, LocalizedText(en: "Import into Odoo", id: "Impor ke Odoo"), keysOption: "select"),
            BrowseAction(.prune, LocalizedText(en: "Clean up old orders", id: "Bersihkan pesanan lama"), keysOption: "select"),
        ])

    public var browsing: BrowseDeclaration { Self.browseDeclaration }

    public func browse(_ query: BrowseQuery, state: SourceState) throws -> BrowsePage {
        let filter = try orderFilter(query.parameters)
        let store = try OrderStore(location(state))
        return try OrderStore.wrap { try store.browse(filter, offset: query.offset, limit: query.pageSize) }
    }

    public func record(_ key: String, state: SourceState) throws -> RecordDetail? {
        let store = try OrderStore(location(state))
        return try OrderStore.wrap { try store.detail(key: key) }
    }

    /// The filter of a list's parameters (already checked against the declaration by the host).
    func orderFilter(_ parameters: [String: String], now: Date = Date()) throws -> OrderFilter {
        var filter = OrderFilter()
        filter.state = parameters["state"].flatMap(OrderState.init(rawValue:))
        filter.missing = BrowseFilter.isOn(parameters["missing"])
        filter.ready = BrowseFilter.isOn(parameters["ready"])
        filter.sessionID = parameters["session"].flatMap { Int64($0) }
        filter.configID = parameters["config"].flatMap { Int64($0) }
        filter.text = parameters["q"]?.trimmingCharacters(in: .whitespaces)
        if filter.text?.isEmpty == true { filter.text = nil }
        var selection = try ImportSelection(sessionID: nil, from: parameters["from"], to: parameters["to"], keys: nil, timeZone: timeZone)
        if let days = parameters["days"].flatMap({ Int($0) }) {
            guard (1...3660).contains(days) else {
                throw CadangError(.usage, "days must be from 1 to 3660, not \(days)", fix: "e.g. days=7 for the last week")
            }
            // Today counts as the first of the days, in the shop's time zone.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let start = calendar.date(byAdding: .day, value: 1 - days, to: calendar.startOfDay(for: now)) ?? now
            let from = OrderStore.timestamp(start)
            if selection.fromUTC.map({ $0 < from }) ?? true { selection.fromUTC = from }
        }
        filter.fromUTC = selection.fromUTC
        filter.beforeUTC = selection.beforeUTC
        return filter
    }
}
