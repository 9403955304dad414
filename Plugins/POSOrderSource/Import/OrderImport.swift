import CadangCore
import Foundation

/// Import (README `cadang restore pos`, ODOO18.md): puts missing orders back into Odoo through
/// Odoo's own `sync_from_ui`, one order per step, never making a second copy.
///
/// A step holds the order's import lock (so two imports, from two processes or two machines on a
/// PostgreSQL store, never both send it), re-reads the order, re-checks Odoo by uuid (found:
/// `duplicate`), refuses what Odoo would store wrongly (`ImportCheck`: `error`), records that it is
/// sending, sends, and records Odoo's answer (`imported` with Odoo's id and session). A failure that
/// is not the order's — Odoo down, slow, a bad key, a user without rights — stops the run and changes
/// no order's state. A send left without an answer (killed, timed out) is settled by the uuid
/// re-check of a later run; until `resendAfter` has passed it is not sent again, since Odoo may
/// still be creating it.
struct OrderImport {
    let store: OrderStore
    let odoo: OdooSettings
    let actor: String
    /// Who ran it, for `imported_by` (the Odoo user and the local one).
    let importedBy: String

    /// An order of the plan and what cadang itself would refuse about it (no Odoo call).
    struct Planned: Sendable {
        var candidate: ImportCandidate
        var refusal: String?
    }

    init(store: OrderStore, odoo: OdooSettings, actor: String) {
        self.store = store
        self.odoo = odoo
        self.actor = actor
        let user = ProcessInfo.processInfo.environment["USER"] ?? String(getuid())
        importedBy = "\(odoo.user) in Odoo, run by \(user)@\(ProcessInfo.processInfo.hostName)"
    }

    /// The orders `selection` chooses, in the order a run takes them, each with cadang's own verdict.
    func plan(_ selection: ImportSelection) throws -> (planned: [Planned], skipped: [ImportSkip]) {
        let (candidates, skipped) = try store.importPlan(selection)
        return (try candidates.map { Planned(candidate: $0, refusal: try refusal($0)) }, skipped)
    }

    /// Why cadang refuses to send the candidate's chosen version, or nil.
    func refusal(_ candidate: ImportCandidate) throws -> String? {
        guard let version = candidate.version else {
            if candidate.uuid?.isEmpty ?? true { return ImportCheck.noUUID }
            return ImportCheck.noLines
        }
        guard let payload = try store.payload(order: candidate.id, version: version) else {
            return "version \(version) is missing from the store"
        }
        switch OrderDecoder.decode(payload) {
        case .failure(let rejection): return "the stored version \(version) does not decode: \(rejection.reason)"
        case .success(let order): return ImportCheck.refusal(order, rounding: odoo.currencyRounding)
        }
    }

    /// Carries out `planned` in its order; `say` gets a line per order. Throws (a `CadangError`,
    /// exit 1) when Odoo cannot be used at all; what was recorded before stays recorded.
    func run(_ planned: [Planned], skipped: [ImportSkip], say: (String) -> Void) throws -> ImportReport {
        var report = ImportReport(skipped: skipped)
        let client = try odoo.client()
        let lockWait = 2 * odoo.timeout + 30
        let progress = Progress.step("import into Odoo", total: Int64(planned.count), unit: .items)
        defer { progress.finish() }
        for item in planned {
            defer { progress.advance(by: 1) }
            report.orders.append(item.candidate.key)
            do {
                try store.database.withImportLock(order: item.candidate.id, wait: lockWait) {
                    try step(item.candidate, client: client, report: &report, say: say)
                }
            } catch let error as ImportLockTimeout {
                throw CadangError(.failure, "\(error) (order \(item.candidate.key))", fix: "check for a stuck cadang restore on another machine, then run again")
            }
        }
        return report
    }

    private func step(_ planned: ImportCandidate, client: OdooClient, report: inout ImportReport, say: (String) -> Void) throws {
        let key = planned.key
        // Under the lock: another import (or verify) may have settled it since the plan was made.
        guard let order = try store.importCandidate(id: planned.id) else {
            report.skipped.append(ImportSkip(key: key, reason: "settled meanwhile by another run", isSettled: true))
            say("skipped order \(key): settled meanwhile by another run")
            return
        }
        func fail(_ reason: String) throws {
            try store.recordImport(order, .error(reason), actor: actor, importedBy: importedBy)
            report.error.append(.init(key: key, reason: reason))
            say("error     order \(key): \(reason)")
        }
        guard let uuid = order.uuid, !uuid.isEmpty else { return try fail(ImportCheck.noUUID) }
        if let found = try lookUp(uuid, in: client) {
            // Sent by an earlier run that never recorded the answer: it is ours.
            if order.sentAt != nil {
                let version = order.version ?? 0
                try store.recordImport(order, .imported(odooID: found.id, sessionID: found.sessionID, version: version,
                                                        reason: "imported: found as pos.order \(found.id) after an earlier send whose answer was not recorded"),
                                       actor: actor, importedBy: importedBy)
                report.imported.append(.init(key: key, version: version, odooID: found.id, sessionID: found.sessionID))
                say("imported  order \(key) → pos.order \(found.id) (sent by an earlier run)")
            } else {
                try store.recordImport(order, .duplicate(odooID: found.id, reason: "import: Odoo already has it as pos.order \(found.id) (by uuid); nothing sent"),
                                       actor: actor, importedBy: importedBy)
                report.duplicate.append(.init(key: key, odooID: found.id))
                say("duplicate order \(key): Odoo already has it as pos.order \(found.id); nothing sent")
            }
            return
        }
        if let sentAt = order.sentAt, sentAt > OrderStore.timestamp(Date().addingTimeInterval(-odoo.resendAfter)) {
            let reason = "sent at \(sentAt) UTC without an answer and Odoo does not have it yet; it may still be creating it, so it is sent again only after odoo.resend_after (\(DurationText.format(odoo.resendAfter)))"
            report.skipped.append(ImportSkip(key: key, reason: reason))
            say("waiting   order \(key): \(reason)")
            return
        }
        if let refusal = try refusal(order) { return try fail(refusal) }
        guard let version = order.version, let stored = try store.payload(order: order.id, version: version) else {
            return try fail(ImportCheck.noLines)
        }
        let payload: ImportPayload
        do {
            payload = try ImportPayload(cleaning: stored)
        } catch {
            return try fail("the stored version \(version) does not decode: \(error.reason)")
        }
        try store.recordImportSending(order, version: version, actor: actor)
        let created: OdooCreatedOrder?
        do {
            created = try client.syncFromUI(order: payload.json, configID: order.configID.map { Int($0) })
        } catch {
            switch ImportFailure(error) {
            case .order(let reason):
                return try fail(Self.reason(error, order: order, base: reason))
            case .run(let nothingCreated):
                if nothingCreated { try store.clearImportSending(order) }
                throw error.cadangError
            }
        }
        guard let created else {
            // Early 18.0 builds answer nothing for a paid order they already have.
            guard let found = try lookUp(uuid, in: client) else {
                return try fail("Odoo answered without the order and does not have it")
            }
            try store.recordImport(order, .duplicate(odooID: found.id, reason: "import: Odoo already had it as pos.order \(found.id) (it answered without creating one)"),
                                   actor: actor, importedBy: importedBy)
            report.duplicate.append(.init(key: key, odooID: found.id))
            say("duplicate order \(key): Odoo already has it as pos.order \(found.id)")
            return
        }
        let session = created.sessionID.map { String($0) } ?? "?"
        let moved = created.sessionID.map { Int64($0) } != order.sessionID && order.sessionID != nil
            ? " (the payload's session \(order.sessionID.map { String($0) } ?? "") was closed)" : ""
        try store.recordImport(order, .imported(odooID: created.id, sessionID: created.sessionID, version: version,
                                                reason: "imported version \(version) as pos.order \(created.id) in session \(session)\(moved) by \(importedBy)"),
                               actor: actor, importedBy: importedBy)
        report.imported.append(.init(key: key, version: version, odooID: created.id, sessionID: created.sessionID))
        say("imported  order \(key) version \(version) → pos.order \(created.id) in session \(session)\(moved)")
    }

    /// The re-check by uuid; its failure stops the run (it is never the order's fault).
    private func lookUp(_ uuid: String, in client: OdooClient) throws -> OdooOrderRow? {
        do {
            return try client.order(uuid: uuid)
        } catch {
            throw error.cadangError
        }
    }

    /// The reason kept on an order Odoo refused.
    static func reason(_ error: OdooError, order: ImportCandidate, base: String) -> String {
        guard case .server(_, _, let message) = error else { return base }
        if message.contains("No open session") {
            let config = order.configID.map { "config \($0)" } ?? "the order's config"
            return "Odoo has no open session of point of sale \(config) (the order's session \(order.sessionID.map { String($0) } ?? "?") is closed): open a session of it in Odoo, then import again"
        }
        return base
    }
}

/// Whose fault an Odoo error during a send is.
enum ImportFailure: Equatable {
    /// The order's: it ends in `error` with this reason and the run goes on.
    case order(String)
    /// Not the order's (Odoo down or slow, the key, the user's rights): the run stops, no state
    /// changes; `nothingCreated` when Odoo certainly did not create the order.
    case run(nothingCreated: Bool)

    init(_ error: OdooError) {
        switch error {
        case .unreachable(_, let reason):
            switch reason {
            case .connectionRefused, .hostNotFound, .tls: self = .run(nothingCreated: true)
            case .timedOut, .connectionLost, .other: self = .run(nothingCreated: false)
            }
        case .loginRefused, .unknownDatabase:
            self = .run(nothingCreated: true)
        case .badResponse:
            self = .run(nothingCreated: false)
        case .server(_, let name, let message):
            let text = OdooError.oneLine(message)
            switch OdooServerErrorKind(name: name, message: message) {
            case .access, .accessDenied:
                self = .run(nothingCreated: true)
            case .userError:
                self = .order("Odoo refused it: \(text)")
            case .valueError(let field):
                self = .order("Odoo does not know \(field.map { "the field '\($0)'" } ?? "a value") of the payload: \(text)")
            case .other:
                self = .order("Odoo failed on it: \(name): \(text)")
            }
        }
    }
}
