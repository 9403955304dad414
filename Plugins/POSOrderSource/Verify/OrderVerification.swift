import CadangCore

/// Verify (README `cadang verify pos`): looks for the store's unverified orders in Odoo, in
/// batches, and records what it found in one transaction — nothing when Odoo cannot be asked.
struct OrderVerification {
    let store: OrderStore
    let odoo: OdooSettings

    /// Verifies the unverified orders (only those with an event after `changedAfterEvent` when given).
    func run(changedAfterEvent: Int64? = nil, actor: String) throws -> VerifyReport {
        let lookups = try store.unverifiedLookups(changedAfterEvent: changedAfterEvent)
        guard !lookups.isEmpty else {
            return VerifyReport(checked: 0, verified: 0, missing: 0, checkedAt: OrderStore.timestamp())
        }
        let matches: [OdooOrderMatch]
        do {
            matches = try odoo.finder().find(lookups)
        } catch let error as OdooError {
            throw error.cadangError
        }
        return try store.recordVerification(of: lookups, matches: matches, actor: actor)
    }
}

extension VerifyReport {
    /// `pos: verified 3 of 5 checked, 2 missing in Odoo`.
    func line(source: String) -> String {
        "\(source): \(checked) checked in Odoo — \(verified) verified, \(missing) missing on the server"
    }
}
