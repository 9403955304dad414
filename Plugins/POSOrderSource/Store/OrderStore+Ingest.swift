import CadangCore

/// What one item offered to the store came to (the HTTP API's `status`).
enum IngestStatus: String, Sendable, Codable {
    /// A new order.
    case stored
    /// The same content as a version already kept.
    case unchanged
    /// Another content of a known order, kept beside the earlier ones.
    case newVersion = "new_version"
}

/// A file as ingest saw it: an unchanged stamp means it is not parsed again.
struct FileStamp: Sendable, Equatable {
    var path: String
    var size: Int64
    var modifiedNanoseconds: Int64
    var inode: Int64
}

extension OrderStore {
    /// The columns of an `orders` row written by ingest, in order.
    private static let orderColumns = ["id", "key", "key_kind", "uuid", "access_token", "pos_reference", "name", "reference",
                                       "session_id", "config_id", "company_id", "user_id", "partner_id", "order_date",
                                       "captured_at", "received_at", "amount_total", "amount_tax", "amount_paid",
                                       "amount_return", "lines", "payments", "state", "versions", "content_sha256"]

    /// Whether `file` was ingested as it is now (same size, modification time and inode).
    func isIngested(_ file: FileStamp) throws -> Bool {
        var same = false
        try Self.wrap {
            try database.query("SELECT size, modified_ns, inode FROM ingested_files WHERE path = ?", [.text(file.path)]) { row in
                same = try row.integer(0) == file.size && row.integer(1) == file.modifiedNanoseconds && row.integer(2) == file.inode
            }
        }
        return same
    }

    /// Stores `records` in one durable transaction: each a new order, an unchanged one or a new
    /// version (README "Identity and versions"), each change with its event; with `file`, also
    /// records that file as read (in the same transaction, so a crash re-reads it whole and finds
    /// every item it had stored `unchanged`). `origins` names each record's file and item for the
    /// events. Returns each record's status, in order.
    func ingest(_ records: [OrderRecord], origins: [String], actor: String, file: FileStamp? = nil) throws -> [IngestStatus] {
        try Self.wrap {
            try database.write {
                let statuses = try ingestLocked(records, origins: origins, actor: actor)
                if let file {
                    try database.execute("""
                        INSERT INTO ingested_files (path, size, modified_ns, inode, ingested_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (path) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
                        inode = excluded.inode, ingested_at = excluded.ingested_at
                        """, [.text(file.path), .integer(file.size), .integer(file.modifiedNanoseconds), .integer(file.inode),
                              .text(Self.timestamp())])
                }
                return statuses
            }
        }
    }

    /// What the store knows of a key before this batch, updated as the batch goes.
    private struct Known {
        var id: Int64
        var state: String
        var versions: Int64
        var hashes: Set<String>
        /// Its row in this batch's inserts, when the batch itself stored it.
        var pendingRow: Int?
    }

    private func ingestLocked(_ records: [OrderRecord], origins: [String], actor: String) throws -> [IngestStatus] {
        let now = Self.timestamp()
        var known = try lookUp(Set(records.map(\.key)))
        var nextID: Int64?
        var orderRows: [[StoreValue?]] = []
        var updates: [(OrderRecord, Int64, Int64)] = []
        var versionRows: [[StoreValue?]] = [], lineRows: [[StoreValue?]] = [], paymentRows: [[StoreValue?]] = []
        var eventRows: [[StoreValue?]] = []
        var statuses: [IngestStatus] = []
        statuses.reserveCapacity(records.count)

        for (index, record) in records.enumerated() {
            let origin = index < origins.count ? origins[index] : "an ingest"
            let version: Int64
            let id: Int64
            if var entry = known[record.key] {
                if entry.hashes.contains(record.contentSHA256) {
                    statuses.append(.unchanged)
                    continue
                }
                entry.versions += 1
                entry.hashes.insert(record.contentSHA256)
                version = entry.versions
                id = entry.id
                if let row = entry.pendingRow {
                    // Stored earlier in this batch, so at this batch's time.
                    orderRows[row] = Self.orderRow(record, id: id, receivedAt: .text(now), state: entry.state, versions: version)
                } else {
                    updates.append((record, id, version))
                }
                known[record.key] = entry
                eventRows.append([.integer(id), .text(record.key), .text(now), .text(entry.state), .text(entry.state), .text(actor),
                                  .text("version \(version) from \(origin)")])
                statuses.append(.newVersion)
            } else {
                version = 1
                id = try nextID ?? nextOrderID()
                nextID = id + 1
                known[record.key] = Known(id: id, state: OrderState.synced.rawValue, versions: 1, hashes: [record.contentSHA256],
                                          pendingRow: orderRows.count)
                orderRows.append(Self.orderRow(record, id: id, receivedAt: .text(now), state: OrderState.synced.rawValue, versions: 1))
                eventRows.append([.integer(id), .text(record.key), .text(now), nil, .text(OrderState.synced.rawValue), .text(actor),
                                  .text("stored from \(origin)")])
                statuses.append(.stored)
            }
            versionRows.append([.integer(id), .integer(version), .text(record.contentSHA256), .text(now),
                                record.capturedAt.map(StoreValue.text), .integer(record.lines.isEmpty ? 0 : 1), .text(origin),
                                .text(String(decoding: record.payload, as: UTF8.self))])
            for line in record.lines {
                lineRows.append([.integer(id), .integer(version), .integer(Int64(line.lineNo)), line.productID.map(StoreValue.integer),
                                 line.fullProductName.map(StoreValue.text), line.qty.map(StoreValue.real),
                                 line.priceUnit.map(StoreValue.real), line.discount.map(StoreValue.real),
                                 line.priceSubtotal.map(StoreValue.real), line.priceSubtotalIncl.map(StoreValue.real)])
            }
            for (number, payment) in record.payments.enumerated() {
                paymentRows.append([.integer(id), .integer(version), .integer(Int64(number + 1)),
                                    payment.paymentMethodID.map(StoreValue.integer), payment.amount.map(StoreValue.real),
                                    payment.paymentDate.map(StoreValue.text), payment.isChange.map { .integer($0 ? 1 : 0) }])
            }
        }

        try database.insert(into: "orders", columns: Self.orderColumns, rows: orderRows)
        for (record, id, version) in updates { try update(record, id: id, version: version) }
        try database.insert(into: "order_versions", columns: ["order_id", "version", "content_sha256", "received_at", "captured_at",
                                                             "has_lines", "source", "payload"], rows: versionRows)
        try database.insert(into: "order_lines", columns: ["order_id", "version", "line_no", "product_id", "full_product_name", "qty",
                                                          "price_unit", "discount", "price_subtotal", "price_subtotal_incl"],
                            rows: lineRows)
        try database.insert(into: "payments", columns: ["order_id", "version", "payment_no", "payment_method_id", "amount",
                                                       "payment_date", "is_change"], rows: paymentRows)
        try database.insert(into: "events", columns: ["order_id", "key", "at", "from_state", "to_state", "actor", "reason"], rows: eventRows)
        return statuses
    }

    /// The id the next new order gets (inside a write): above every id an order or an event ever
    /// held, so an order stored after a cleanup never inherits a deleted one's events. Both maxima
    /// are read from an index's end; only SELECT is needed (the ingest role has no sequence).
    private func nextOrderID() throws -> Int64 {
        let highest = try database.count("SELECT max(id) FROM orders")
        let highestEvent = try database.count("SELECT max(order_id) FROM events")
        return max(highest, highestEvent) + 1
    }

    /// The store's id, state, version count and content hashes of each of `keys` it holds.
    private func lookUp(_ keys: Set<String>) throws -> [String: Known] {
        var known: [String: Known] = [:]
        let all = Array(keys)
        var start = 0
        while start < all.count {
            let chunk = all[start..<min(start + 500, all.count)].map { StoreValue.text($0) as StoreValue? }
            var keyOfID: [Int64: String] = [:]
            try database.query("SELECT id, key, state, versions FROM orders WHERE key IN (\(Self.marks(chunk.count)))", chunk) { row in
                guard let id = try row.integer(0), let key = try row.text(1) else { return }
                keyOfID[id] = key
                known[key] = Known(id: id, state: try row.text(2) ?? "synced", versions: try row.integer(3) ?? 0, hashes: [])
            }
            if !keyOfID.isEmpty {
                let ids = keyOfID.keys.map { StoreValue.integer($0) as StoreValue? }
                try database.query("SELECT order_id, content_sha256 FROM order_versions WHERE order_id IN (\(Self.marks(ids.count)))", ids) { row in
                    guard let id = try row.integer(0), let key = keyOfID[id], let hash = try row.text(1) else { return }
                    known[key]?.hashes.insert(hash)
                }
            }
            start += 500
        }
        return known
    }

    /// A new version's structured columns replace the order's (README: they come from the newest).
    private func update(_ record: OrderRecord, id: Int64, version: Int64) throws {
        let row = Dictionary(uniqueKeysWithValues: zip(Self.orderColumns,
                                                       Self.orderRow(record, id: id, receivedAt: nil, state: "", versions: version)))
        let values = StoreSchema.versionColumns.map { row[$0] ?? nil }
        let assignments = StoreSchema.versionColumns.map { "\($0) = ?" }.joined(separator: ", ")
        try database.execute("UPDATE orders SET \(assignments) WHERE id = ?", values + [.integer(id)])
    }

    private static func orderRow(_ record: OrderRecord, id: Int64, receivedAt: StoreValue??, state: String, versions: Int64) -> [StoreValue?] {
        [.integer(id), .text(record.key), .text(record.keyKind.rawValue), record.uuid.map(StoreValue.text), record.accessToken.map(StoreValue.text),
         record.posReference.map(StoreValue.text), record.name.map(StoreValue.text), record.reference.map(StoreValue.text),
         record.sessionID.map(StoreValue.integer), record.configID.map(StoreValue.integer), record.companyID.map(StoreValue.integer),
         record.userID.map(StoreValue.integer), record.partnerID.map(StoreValue.integer), record.orderDate.map(StoreValue.text),
         record.capturedAt.map(StoreValue.text), receivedAt ?? nil, record.amountTotal.map(StoreValue.real),
         record.amountTax.map(StoreValue.real), record.amountPaid.map(StoreValue.real), record.amountReturn.map(StoreValue.real),
         .integer(Int64(record.lines.count)), .integer(Int64(record.payments.count)), .text(state), .integer(versions),
         .text(record.contentSHA256)]
    }

    /// `?,?,…` for `count` parameters.
    static func marks(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}
