/// Which Odoo row is which of our orders: pure, shared by every finder (JSON-RPC or SQL).
public enum OrderMatching {
    /// Matches `lookups` to `rows`: by uuid, then access_token, then normalised reference (the
    /// trailing `NNNNN-NNN-NNNN` of the row's `pos_reference`, or one of the lookup's exact
    /// candidates). The session is never compared: Odoo moves late orders to another session.
    ///
    /// Each lookup gets at most one row and each row at most one lookup; the stronger identity wins
    /// both ways (a row found by one lookup's uuid is not also another lookup's reference match).
    /// Ties go to the earlier lookup and the lower row id, so the answer is deterministic.
    public static func match(_ lookups: [OrderLookup], _ rows: [OdooOrderRow]) -> [OdooOrderMatch] {
        var byUUID: [String: [Int]] = [:], byToken: [String: [Int]] = [:], byReference: [String: [Int]] = [:]
        for (index, lookup) in lookups.enumerated() {
            if let uuid = lookup.uuid { byUUID[uuid, default: []].append(index) }
            if let token = lookup.accessToken { byToken[token, default: []].append(index) }
            var references = Set(lookup.referenceCandidates)
            if let normalised = lookup.normalisedReference { references.insert(normalised) }
            for reference in references { byReference[reference, default: []].append(index) }
        }

        struct Pair { let strength: OdooOrderMatch.MatchedBy; let lookup: Int; let row: Int }
        var pairs: [Pair] = []
        for (rowIndex, row) in rows.enumerated() {
            var seen = Set<Int>()
            func add(_ candidates: [Int]?, _ by: OdooOrderMatch.MatchedBy) {
                for lookup in candidates ?? [] where seen.insert(lookup).inserted {
                    pairs.append(Pair(strength: by, lookup: lookup, row: rowIndex))
                }
            }
            if let uuid = row.uuid { add(byUUID[uuid], .uuid) }
            if let token = row.accessToken { add(byToken[token], .accessToken) }
            if let reference = row.posReference {
                add(byReference[reference], .reference)
                if let normalised = OrderReference.normalised(reference), normalised != reference {
                    add(byReference[normalised], .reference)
                }
            }
        }
        pairs.sort {
            if $0.strength != $1.strength { return $0.strength > $1.strength }
            if $0.lookup != $1.lookup { return $0.lookup < $1.lookup }
            return rows[$0.row].id < rows[$1.row].id
        }

        var lookupTaken = [Bool](repeating: false, count: lookups.count)
        var rowTaken = [Bool](repeating: false, count: rows.count)
        var matches: [OdooOrderMatch] = []
        for pair in pairs where !lookupTaken[pair.lookup] && !rowTaken[pair.row] {
            lookupTaken[pair.lookup] = true
            rowTaken[pair.row] = true
            let row = rows[pair.row]
            matches.append(OdooOrderMatch(key: lookups[pair.lookup].key, odooID: row.id, sessionID: row.sessionID,
                                          state: row.state, matchedBy: pair.strength))
        }
        return matches
    }

    /// Asks `search` for the rows of each run of `size` lookups (one call or query each), keeps
    /// each row once, and matches them all together at the end, so that one row that two runs found
    /// still goes to the better key.
    static func match(_ lookups: [OrderLookup], inRunsOf size: Int,
                      _ search: (ArraySlice<OrderLookup>) throws -> [OdooOrderRow]) throws -> [OdooOrderMatch] {
        var rows: [OdooOrderRow] = []
        var seen = Set<Int>()
        var start = 0
        while start < lookups.count {
            for row in try search(lookups[start..<min(start + size, lookups.count)]) where seen.insert(row.id).inserted {
                rows.append(row)
            }
            start += size
        }
        return match(lookups, rows)
    }
}
