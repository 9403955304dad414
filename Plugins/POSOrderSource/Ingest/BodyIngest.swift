import CadangCore

/// Ingest of one request body (`cadang serve`'s orders endpoint, DESIGN §8): the same shapes,
/// splitter, decoder and store as a file, in one durable transaction, with one result per item.
///
/// The body is in memory already (the server bounds it by `max_body_bytes`), so its records are
/// gathered and stored together: the answer comes once the commit is durable, and a crash before
/// it leaves none of the body stored, which the till then sends again.
struct BodyIngest {
    var maxItemBytes: Int
    var actor: String

    /// The results of `body`, in its order; throws `IngestBodyError` when it is not JSON at all.
    func ingest(_ body: [UInt8], origin: String, into store: OrderStore) throws -> [IngestedItem] {
        let splitter = PayloadSplitter(bytes: body, origin: origin, maxItemBytes: maxItemBytes)
        var decoder = OrderDecoder()
        var results: [IngestedItem] = []
        var records: [OrderRecord] = []
        var origins: [String] = []
        var slots: [Int] = []
        while true {
            let event: PayloadEvent?
            do {
                event = try splitter.next()
            } catch {
                throw IngestBodyError(error.reason)
            }
            guard let event else { break }
            switch event {
            case .item(let item):
                switch decoder.decode(item) {
                case .success(let record):
                    slots.append(results.count)
                    results.append(IngestedItem(index: item.index, key: record.key, status: .stored))
                    records.append(record)
                    origins.append("\(origin) item \(item.index)")
                case .failure(let rejection):
                    results.append(IngestedItem(index: item.index, key: nil, status: .rejected, reason: rejection.reason))
                }
            case .rejected(let index?, let reason):
                results.append(IngestedItem(index: index, key: nil, status: .rejected, reason: reason))
            case .rejected(nil, let reason):
                throw IngestBodyError(reason)
            }
        }
        guard !records.isEmpty else { return results }
        let statuses = try store.ingest(records, origins: origins, actor: actor)
        for (slot, status) in zip(slots, statuses) {
            switch status {
            case .stored: results[slot].status = .stored
            case .unchanged: results[slot].status = .unchanged
            case .newVersion: results[slot].status = .newVersion
            }
        }
        return results
    }
}

extension POSOrderSource: ItemIngesting {
    public func ingest(_ body: [UInt8], origin: String, state: SourceState) throws -> [IngestedItem] {
        let store = try OrderStore(location(state))
        return try BodyIngest(maxItemBytes: maxItemBytes, actor: "cadang serve").ingest(body, origin: origin, into: store)
    }
}
