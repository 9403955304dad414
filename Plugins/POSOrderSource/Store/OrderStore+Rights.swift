import CadangCore

/// The work on a store that needs more than the ingest role's rights (README "Schedules and
/// roles": `cadang_ingest` syncs and reads, `cadang_manager` also verifies, imports and cleans up).
enum StoreWork: Sendable {
    case verify, importing, cleanup

    /// The command, for messages.
    var command: String {
        switch self {
        case .verify: "cadang verify"
        case .importing: "cadang restore"
        case .cleanup: "cadang prune"
        }
    }

    /// The table rights it uses, in the order it uses them.
    var rights: [(privilege: String, table: String)] {
        switch self {
        case .verify, .importing: [("UPDATE", "orders"), ("INSERT", "events")]
        case .cleanup: [("DELETE", "orders"), ("DELETE", "order_versions"), ("DELETE", "order_lines"), ("DELETE", "payments"), ("INSERT", "events")]
        }
    }
}

extension OrderStore {
    /// What the connected role lacks for `work`, as one sentence, or nil (always nil for SQLite,
    /// whose file has no roles).
    func missingRight(for work: StoreWork) throws -> String? {
        guard let postgres = database as? PostgresStoreDatabase else { return nil }
        var role = ""
        try Self.wrap {
            try database.query("SELECT current_user", []) { role = try $0.text(0) ?? "" }
        }
        for (privilege, table) in work.rights {
            let allowed = try Self.wrap {
                try database.count("SELECT CASE WHEN has_table_privilege(?, ?) THEN 1 ELSE 0 END",
                                   [.text("\(postgres.schema).\(table)"), .text(privilege)])
            }
            if allowed == 0 { return "role '\(role)' may not \(privilege) \(postgres.schema).\(table), which \(work.command) needs" }
        }
        return nil
    }

    /// Throws, before anything is done, when the connected role lacks a right `work` uses: one
    /// line naming the role, the right and the fix.
    func requireRights(for work: StoreWork) throws {
        guard let missing = try missingRight(for: work) else { return }
        throw CadangError(.failure, missing,
                          fix: "run \(work.command) as cadang_manager, the role for verify, import and cleanup; 'cadang stats --grants' prints the GRANT statements")
    }
}
