import CadangCore
import Foundation
import Logging
import SQLiteSupport

/// `pos-orders`: Odoo point-of-sale order payloads captured on the tills, kept versioned in an
/// order store, verified against Odoo (README of `shared/pos`).
public struct POSOrderSource: Source {
    static let odooSpecs = [
        OptionSpec("url", .string, required: true, doc: "Odoo's address, e.g. http://127.0.0.1:8069."),
        OptionSpec("database", .string, required: true, doc: "Odoo's database name."),
        OptionSpec("user", .string, required: true, doc: "The Odoo login whose API key is given (read access to pos.order for verify)."),
        OptionSpec("api_key", .string, required: true, secret: true, doc: "That user's API key."),
        OptionSpec("postgres", .string,
                   doc: "Optional: a libpq connection string to Odoo's own database (a role with SELECT on pos_order); verify then reads pos_order directly."),
        OptionSpec("timeout", .duration, default: .duration(30), doc: "How long one call to Odoo may take."),
        OptionSpec("currency_rounding", .number, default: .number(0.01),
                   doc: "The smallest amount of the shop's currency (Odoo's rounding of it): import refuses an order whose payments miss its total by half of this or more."),
        OptionSpec("resend_after", .duration, default: .duration(180),
                   doc: "After a send to Odoo got no answer (killed, timed out), how long Odoo may still be creating the order (its limit_time_real is 120 s): until then import re-checks and waits instead of sending it again."),
    ]

    public static let descriptor = PluginDescriptor(
        kind: .source, name: "pos-orders",
        summary: "Ingests Odoo point-of-sale order payloads into a versioned order store and verifies them against Odoo.",
        options: [
            OptionSpec("inbox", .stringList,
                       doc: "Files or folders of payloads (JSON array, object, export wrapper or JSON Lines); read, never changed."),
            OptionSpec("store", .string,
                       doc: "A PostgreSQL database for the order store (libpq URI or key=value; the password from PGPASSWORD or ~/.pgpass). Default: SQLite in state/<source>/ of the repository."),
            OptionSpec("store_schema", .string, default: .string("cadang"), doc: "The PostgreSQL schema holding the store's tables."),
            OptionSpec("timezone", .string, doc: "The shop's time zone for day boundaries, e.g. Asia/Jakarta (default: the computer's)."),
            OptionSpec("max_item_bytes", .integer, default: .integer(1 << 20), range: 1024...(256 << 20),
                       doc: "Items larger than this are rejected without being read whole."),
            OptionSpec("odoo", .group(odooSpecs), doc: "The Odoo server, needed by verify (and by import)."),
        ],
        operations: operations)

    let name: String
    let inbox: [URL]
    let store: OrderStore.Location?
    let storeSchema: String
    let timeZone: TimeZone
    let maxItemBytes: Int
    let odoo: OdooSettings?
    let logger: Logger

    public static func check(_ options: PluginOptions) -> [OptionProblem] {
        var problems: [OptionProblem] = []
        if let zone = options.string("timezone"), TimeZone(identifier: zone) == nil {
            problems.append(OptionProblem(option: "timezone", "is not a time zone: '\(zone)'", fix: "use a name such as Asia/Jakarta or UTC"))
        }
        if let schema = options.string("store_schema"), !PostgresStoreDatabase.isPlainIdentifier(schema) {
            problems.append(OptionProblem(option: "store_schema", "'\(schema)' is not a plain name",
                                          fix: "lowercase letters, digits and underscores, starting with a letter"))
        }
        return problems
    }

    public init(configuration: PluginConfiguration) throws {
        name = configuration.name
        logger = configuration.logger
        let options = configuration.options
        inbox = (options.list("inbox") ?? []).map {
            URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath, relativeTo: configuration.baseDirectory).standardizedFileURL
        }
        storeSchema = options.string("store_schema") ?? "cadang"
        store = options.string("store").map { .postgres(conninfo: $0, schema: options.string("store_schema") ?? "cadang") }
        timeZone = options.string("timezone").flatMap(TimeZone.init(identifier:)) ?? TimeZone.current
        maxItemBytes = Int(options.integer("max_item_bytes") ?? (1 << 20))
        odoo = options.group("odoo", specs: Self.odooSpecs).map(OdooSettings.init)
    }

    /// Where the store is for a repository's `state` folder of this source.
    func location(_ state: SourceState) throws -> OrderStore.Location {
        if let store { return store }
        return .sqlite(try state.prepare().appendingPathComponent("orders.db"))
    }

    public func open(_ request: SourceRequest) throws -> any SourceSnapshot {
        let store = try OrderStore(location(request.state))
        // Verify after the ingest looks at the orders it changed: those with an event after this one
        // (a list of their keys would grow with the file).
        let lastEvent = try store.lastEventID()
        let report = try InboxIngest(inbox: inbox, maxItemBytes: maxItemBytes, actor: "cadang run").run(into: store)
        for rejection in report.rejected.prefix(50) {
            request.warnings.skipped("\(name): \(rejection.file)\(rejection.item.map { " item \($0)" } ?? ""): \(rejection.reason)")
        }
        if report.rejected.count > 50 {
            request.warnings.skipped("\(name): \(report.rejected.count - 50) more item(s) rejected (see run --json)")
        }
        var verifyLine: String?
        if odoo != nil, report.changedOrders, let missing = try store.missingRight(for: .verify) {
            // The tills' role only adds orders; verify is the manager role's, on its own schedule.
            verifyLine = "\(name): not checked against Odoo after the ingest: \(missing) (verify runs as cadang_manager)"
        } else if let odoo, report.changedOrders {
            do {
                let verified = try OrderVerification(store: store, odoo: odoo).run(changedAfterEvent: lastEvent, actor: "cadang run")
                verifyLine = verified.line(source: name)
            } catch {
                // The set is still written: the orders are stored, only their check waits for the next verify.
                request.warnings.skipped("\(name): verify after the ingest failed: \(error)")
            }
        }
        return try OrderSnapshot(store: store, request: request, report: report, source: name, verifyLine: verifyLine)
    }
}

extension POSOrderSource: ArtifactChecking {
    public static let checkedFormats = ["sqlite"]

    public static func problems(of url: URL, format: String) -> [String] {
        SQLiteFileCheck.problems(of: url)
    }
}
