/// The rights of the two roles a PostgreSQL store is used with (README "Schedules and roles").
///
/// `cadang_ingest` (sync, stats) may read and add, and may rewrite only what a new version
/// rewrites (`StoreSchema.versionColumns`) and the list of files read: never a state, never a
/// deletion. `cadang_manager` (verify, import, cleanup) may also update and delete.
enum StoreGrants {
    /// The GRANT statements for `schema`, given by its owner, for the two roles.
    static func statements(schema: String, ingest: String = "cadang_ingest", manager: String = "cadang_manager") -> [String] {
        let tables = ["store_meta", "orders", "order_versions", "order_lines", "payments", "events", "ingested_files"]
            .map { "\(schema).\($0)" }.joined(separator: ", ")
        return [
            "GRANT USAGE ON SCHEMA \(schema) TO \(ingest), \(manager)",
            "GRANT SELECT, INSERT ON \(tables) TO \(ingest)",
            "GRANT UPDATE (\(StoreSchema.versionColumns.joined(separator: ", "))) ON \(schema).orders TO \(ingest)",
            "GRANT UPDATE ON \(schema).ingested_files TO \(ingest)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON \(tables) TO \(manager)",
            "GRANT USAGE ON ALL SEQUENCES IN SCHEMA \(schema) TO \(ingest), \(manager)",
        ]
    }
}
