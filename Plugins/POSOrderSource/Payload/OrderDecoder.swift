import CCrypto

/// Turns one payload item into an `OrderRecord`: parses it strictly (`JSONTapeParser`), hashes its
/// canonical form (`CanonicalJSONWriter`) and reads its fields (`OrderFieldReader`).
///
/// A decoder has no shared state; it keeps its buffers from item to item, so give each worker
/// thread its own (it is `Sendable`, so it can be moved to one) and reuse it.
struct OrderDecoder: Sendable {
    private var parser = JSONTapeParser()
    private var canonical = CanonicalJSONWriter()

    /// A decoder with empty buffers.
    init() {}

    /// Decodes an item from a `PayloadSplitter`: its wrapper's config id serves as the fallback,
    /// and a rejection names the item's line when the input was JSON Lines.
    mutating func decode(_ item: PayloadItem) -> Result<OrderRecord, PayloadRejection> {
        decode(item.bytes, fallbackConfigID: item.fallbackConfigID).mapError { rejection in
            guard let line = item.line else { return rejection }
            return PayloadRejection("line \(line): \(rejection.reason)")
        }
    }

    /// Decodes one JSON object; `fallbackConfigID` serves when it has no `config_id`.
    mutating func decode(_ bytes: [UInt8], fallbackConfigID: Int64? = nil) -> Result<OrderRecord, PayloadRejection> {
        let result = bytes.withUnsafeBytes { raw in decode(raw, fallbackConfigID: fallbackConfigID) }
        return result.map { record in
            var record = record
            record.payload = bytes
            return record
        }
    }

    /// One-off decoding with a fresh decoder (tests, single items); loops should keep a decoder.
    static func decode(_ bytes: [UInt8], fallbackConfigID: Int64? = nil) -> Result<OrderRecord, PayloadRejection> {
        var decoder = OrderDecoder()
        return decoder.decode(bytes, fallbackConfigID: fallbackConfigID)
    }

    /// The content hash alone: lowercase hex SHA-256 of the item's canonical JSON.
    mutating func contentHash(of bytes: [UInt8]) -> Result<String, PayloadRejection> {
        bytes.withUnsafeBytes { raw in
            do throws(PayloadRejection) {
                try parser.parse(raw)
                return .success(try canonicalHash(raw))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The canonical JSON text of an item (for tests and for people checking a hash by hand).
    mutating func canonicalText(of bytes: [UInt8]) -> Result<[UInt8], PayloadRejection> {
        bytes.withUnsafeBytes { raw in
            do throws(PayloadRejection) {
                try parser.parse(raw)
                _ = try canonicalHash(raw)
                return .success(Array(canonical.output.prefix(canonical.length)))
            } catch {
                return .failure(error)
            }
        }
    }

    private mutating func decode(_ raw: UnsafeRawBufferPointer, fallbackConfigID: Int64?) -> Result<OrderRecord, PayloadRejection> {
        do throws(PayloadRejection) {
            try parser.parse(raw)
            let hash = try canonicalHash(raw)
            guard let base = raw.baseAddress else { return .failure(PayloadRejection("empty item")) }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            var record = try parser.nodes.withUnsafeBufferPointer { nodes throws(PayloadRejection) in
                try OrderFieldReader(nodes: nodes, bytes: bytes).record(fallbackConfigID: fallbackConfigID)
            }
            record.contentSHA256 = hash
            return .success(record)
        } catch {
            return .failure(error)
        }
    }

    /// Writes the canonical form of the parsed item and hashes it.
    private mutating func canonicalHash(_ raw: UnsafeRawBufferPointer) throws(PayloadRejection) -> String {
        guard let base = raw.baseAddress else { throw PayloadRejection("empty item") }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var writer = canonical
        canonical = CanonicalJSONWriter()
        defer { canonical = writer }
        try parser.nodes.withUnsafeBufferPointer { nodes throws(PayloadRejection) in
            try writer.write(nodes, over: bytes, count: raw.count)
        }
        let length = writer.length
        return writer.output.withUnsafeBytes { ContentDigest.sha256Hex(UnsafeRawBufferPointer(rebasing: $0[..<length])) }
    }
}

/// SHA-256 in one call through OpenSSL's EVP (no context to keep), as lowercase hex.
enum ContentDigest {
    static func sha256Hex(_ data: UnsafeRawBufferPointer) -> String {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var length: UInt32 = 0
        let empty: UInt8 = 0
        withUnsafeMutableBytes(of: &digest) { out in
            let md = out.baseAddress?.assumingMemoryBound(to: UInt8.self)
            if let base = data.baseAddress {
                EVP_Digest(base, data.count, md, &length, EVP_sha256(), nil)
            } else {
                _ = withUnsafePointer(to: empty) { EVP_Digest($0, 0, md, &length, EVP_sha256(), nil) }
            }
        }
        return withUnsafeBytes(of: &digest) { raw in
            String(unsafeUninitializedCapacity: 64) { out in
                let hexDigits: StaticString = "0123456789abcdef"
                for (offset, byte) in raw.enumerated() {
                    out[offset * 2] = hexDigits.utf8Start[Int(byte >> 4)]
                    out[offset * 2 + 1] = hexDigits.utf8Start[Int(byte & 0x0F)]
                }
                return 64
            }
        }
    }
}
