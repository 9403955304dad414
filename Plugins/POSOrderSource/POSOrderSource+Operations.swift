import CadangCore
import Foundation

extension POSOrderSource: OperatingSource {
    /// The operations of `descriptor`.
    static let operations = [
        OperationSpec(.verify, summary: "Looks for every order not yet found in Odoo (batches of up to 1,000; uuid, then access_token, then reference) and records verified or missing.",
                      locking: .host),
        OperationSpec(.restore, summary: "Imports missing (and error) orders into Odoo through sync_from_ui, each once: re-checked by uuid first, refused when Odoo would store it wrongly.",
                      options: [OptionSpec("session", .integer, doc: "Only orders whose payload names this Odoo session id."),
                                OptionSpec("from", .string, doc: "Only orders dated on or after this day (YYYY-MM-DD, the shop's time zone)."),
                                OptionSpec("to", .string, doc: "Only orders dated on or before this day (YYYY-MM-DD, the shop's time zone)."),
                                OptionSpec("select", .stringList, doc: "Only these orders, by key (after JOB: --select KEY KEY…, or KEY,KEY).")],
                      // Nothing in the repository changes: the store's own locks keep two imports apart.
                      locking: .operation),
        OperationSpec(.stats, summary: "Orders by state, success rate, missing by session and config, orders and missing per day (shop time zone).",
                      options: [OptionSpec("html", .path, doc: "Also write a self-contained HTML dashboard to this file."),
                                OptionSpec("grants", .boolean, default: .boolean(false),
                                           doc: "Print instead the GRANT statements for a PostgreSQL store's roles cadang_ingest and cadang_manager.")],
                      locking: .none),
        OperationSpec(.prune, summary: "Removes orders whose order date is older than older_than (at least 7 days) in settled states; synced-and-missing or error ones only with include_missing.",
                      options: [
                          OptionSpec("older_than", .duration, doc: "Remove orders older than this (at least 7d); overrides the policy's records rule."),
                          OptionSpec("states", .stringList, doc: "Only orders in these states (default verified, imported, duplicate)."),
                          OptionSpec("include_missing", .boolean, default: .boolean(false),
                                     doc: "Also synced orders Odoo lacked at their last check, and error ones."),
                          OptionSpec("select", .stringList, doc: "Only these orders, by key, of those the rule removes (the console's chosen rows)."),
                      ],
                      locking: .host),
    ]

    public func perform(_ verb: OperationVerb, context: OperationContext) throws -> OperationResult {
        switch verb {
        case .verify: return try verify(context)
        case .prune: return try prune(context)
        case .stats: return try stats(context)
        case .restore: return try importOrders(context)
        }
    }

    private func verify(_ context: OperationContext) throws -> OperationResult {
        guard let odoo else {
            // The sets are still checked; only the comparison with Odoo needs a server.
            context.output.say("\(context.source): not checked against Odoo (the source has no odoo: {url, database, user, api_key})")
            return OperationResult()
        }
        let store = try OrderStore(location(context.state))
        try store.requireRights(for: .verify)
        let report = try OrderVerification(store: store, odoo: odoo).run(actor: "cadang verify")
        context.output.say(report.line(source: context.source))
        return OperationResult(report: report)
    }

    private struct PruneReport: Encodable, Sendable {
        struct Records: Encodable, Sendable {
            var remove: [RemovableOrder]
            var kept: Int
        }
        var records: Records
    }

    private func prune(_ context: OperationContext) throws -> OperationResult {
        let options = context.options
        let olderThan = options.duration("older_than") ?? context.recordRules?.olderThan
        guard let olderThan else {
            context.output.say("\(context.source): no records rule (add records: {older_than: 30d} to the job's retention policy, or --older-than)")
            return OperationResult()
        }
        let names = options.list("states") ?? context.recordRules?.states
        let states = try names.map { try $0.map { name -> OrderState in
            guard let state = OrderState(rawValue: name) else {
                throw CadangError(.usage, "'\(name)' is not an order state",
                                  fix: "states: " + OrderState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return state
        } }
        let rule = try CleanupRule(olderThan: olderThan, states: states, includeMissing: options.bool("include_missing") ?? false)
        let store = try OrderStore(location(context.state))
        if !context.dryRun { try store.requireRights(for: .cleanup) }
        var plan = try store.cleanupPlan(rule)
        if let keys = options.list("select").map(Set.init) {
            let chosen = plan.remove.filter { keys.contains($0.key) }
            plan = (chosen, plan.kept + plan.remove.count - chosen.count)
        }
        let removed = context.dryRun ? plan.remove : try store.cleanup(plan.remove, rule: rule, actor: "cadang prune")
        let kept = plan.kept + plan.remove.count - removed.count
        for order in removed { context.output.say("\(context.dryRun ? "would remove" : "removed") order \(order.key)  \(order.state)  \(order.orderDate)") }
        context.output.say("\(context.source): \(context.dryRun ? "would remove" : "removed") \(removed.count) order(s) older than \(rule.cutoff) UTC, kept \(kept)")
        return OperationResult(report: PruneReport(records: .init(remove: removed, kept: kept)), items: removed.map(\.key))
    }

    private func importOrders(_ context: OperationContext) throws -> OperationResult {
        switch context.restore?.origin {
        case .repository(let setID?)?:
            throw CadangError(.usage, "--set \(setID) does not apply to source '\(context.source)': its restore imports the store's missing orders into Odoo",
                              fix: "leave out --set")
        case .archive(_, let path)?:
            throw CadangError(.usage, "--from-archive \(path) does not apply to source '\(context.source)': its restore imports the store's missing orders into Odoo",
                              fix: "leave out --from-archive")
        default: break
        }
        guard let odoo else {
            throw CadangError(.usage, "source '\(context.source)' has no odoo: {url, database, user, api_key}, which import needs",
                              fix: "add the odoo: block to the source (cadang init --pos writes one)")
        }
        let options = context.options
        let selection = try ImportSelection(sessionID: options.integer("session"), from: options.string("from"), to: options.string("to"),
                                            keys: options.list("select"), timeZone: timeZone)
        let store = try OrderStore(location(context.state))
        if !context.dryRun { try store.requireRights(for: .importing) }
        let importer = OrderImport(store: store, odoo: odoo, actor: "cadang restore")
        let (planned, skipped) = try importer.plan(selection)
        let preview = ImportPlanReport(planned, skipped: skipped)
        if context.dryRun || (!context.yes && !planned.isEmpty) {
            for line in preview.lines { context.output.say(line) }
        }
        if context.dryRun {
            context.output.say("\(context.source): would send \(preview.send.count) order(s), refuse \(preview.refuse.count) (dry run: Odoo not asked, nothing changed)")
            return OperationResult(report: preview, items: preview.orders)
        }
        if planned.isEmpty {
            context.output.say("\(context.source): no missing or error orders to import")
            return OperationResult(status: skipped.allSatisfy(\.isSettled) ? .success : .partial, report: ImportReport(skipped: skipped))
        }
        if !context.yes {
            let question = "Import \(planned.count) order(s) into Odoo at \(odoo.url) (database \(odoo.database))? [y/N] "
            guard OperationOutput.isYes(context.output.ask(question)) else {
                context.output.say("not imported")
                return OperationResult(status: .failure)
            }
        }
        let report = try importer.run(planned, skipped: skipped) { context.output.say($0) }
        context.output.say(report.line(source: context.source))
        let complete = report.error.isEmpty && report.skipped.allSatisfy(\.isSettled)
        return OperationResult(status: complete ? .success : .partial, report: report, items: report.orders)
    }

    private func stats(_ context: OperationContext) throws -> OperationResult {
        if context.options.bool("grants") == true {
            guard case .postgres(_, let schema)? = store else {
                context.output.say("\(context.source): the store is a SQLite file in the repository; there is nothing to grant")
                return OperationResult()
            }
            for statement in StoreGrants.statements(schema: schema) { context.output.say(statement + ";") }
            return OperationResult()
        }
        let store = try OrderStore(location(context.state))
        let reader: any StoreDatabase = try {
            if case .sqlite(let url) = try location(context.state) { return try SQLiteStoreDatabase(readingLive: url, mapped: true) }
            return store.database
        }()
        let stats = try OrderStore.wrap { try OrderStats.compute(reader, timeZone: timeZone) }
        context.output.say(stats.text())
        if let path = context.options.string("html") {
            let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
            let page = stats.html(title: "\(context.source): orders", generatedAt: Date())
            try FileSystem.writeAtomically(Array(page.utf8), to: url)
            context.output.say("\(context.source): dashboard written to \(url.path)")
        }
        return OperationResult(report: stats)
    }
}
