/// Statement parameters as libpq takes them: NUL-terminated text values, all in one buffer, and
/// each value's type (0 lets the server infer it; bytea is named, so that hex text is read as
/// bytes wherever the parameter goes).
struct PostgresParameters {
    private var buffer: [UInt8] = []
    private var offsets: [Int?] = []
    private var types: [UInt32] = []

    init(_ params: [PostgresValue?], action: String) throws {
        for (index, param) in params.enumerated() {
            guard let param else {
                offsets.append(nil)
                types.append(0)
                continue
            }
            let start = buffer.count
            param.appendText(to: &buffer)
            // A NUL would silently cut the value short in libpq's C string; PostgreSQL text
            // cannot hold one anyway.
            if buffer[start...].contains(0) {
                throw PostgresError(sqlState: "22021", message: "parameter $\(index + 1) holds a NUL character, which PostgreSQL text cannot store",
                                    action: action)
            }
            buffer.append(0)
            offsets.append(start)
            if case .bytes = param { types.append(17) } else { types.append(0) }
        }
    }

    /// Calls `body` with the value pointers (nil for NULL) and types, valid only inside `body`.
    func withPointers<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UInt32>?) throws -> T) rethrows -> T {
        try buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard let offset, let base else { return nil }
                return (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return try values.withUnsafeBufferPointer { values in
                try types.withUnsafeBufferPointer { types in try body(values.baseAddress, types.baseAddress) }
            }
        }
    }
}
