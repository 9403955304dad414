/// One stored version as `sync_from_ui` must receive it (ODOO18.md, "Create"): Odoo raises
/// `ValueError("Invalid field …")` on a key it does not know, so the capture's own keys
/// (`backup_date`, `synced`, `sync_date`, `config_id`, `receipt_html`) and the till's local `id`s
/// are left out — the order's, its lines' (with `order_id`) and its payments' (with
/// `pos_order_id`). Everything else is copied byte for byte: a number keeps its text (`27.03`
/// never becomes `27.030000000000001`), a string its escapes, the members their order.
struct ImportPayload {
    /// The JSON text to send.
    private(set) var json: [UInt8] = []

    private static let orderKeys: [StaticString] = ["backup_date", "synced", "sync_date", "config_id", "receipt_html", "id"]
    private static let lineKeys: [StaticString] = ["id", "order_id"]
    private static let paymentKeys: [StaticString] = ["id", "pos_order_id"]

    /// Cleans `payload`, one stored version (a JSON object).
    init(cleaning payload: [UInt8]) throws(PayloadRejection) {
        var parser = JSONTapeParser()
        let written = payload.withUnsafeBytes { raw -> Result<[UInt8], PayloadRejection> in
            do throws(PayloadRejection) {
                try parser.parse(raw)
            } catch {
                return .failure(error)
            }
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .success([]) }
            return .success(parser.nodes.withUnsafeBufferPointer { nodes in
                var writer = Writer(nodes: nodes, bytes: base)
                writer.object(0, leaving: Self.orderKeys) { key in
                    if JSONKeyOrder.key(key, base, equals: "lines") { return Self.lineKeys }
                    if JSONKeyOrder.key(key, base, equals: "payment_ids") { return Self.paymentKeys }
                    return nil
                }
                return writer.output
            })
        }
        json = try written.get()
    }

    /// Copies values from the tape, leaving keys out of chosen objects.
    private struct Writer {
        let nodes: UnsafeBufferPointer<JSONNode>
        let bytes: UnsafePointer<UInt8>
        var output: [UInt8] = []

        /// The source text of the value at `index`.
        mutating func raw(_ index: Int) {
            let node = nodes[index]
            // A string's node spans its text between the quotes; other values their whole text.
            let (start, end) = node.kind == .string ? (Int(node.start) - 1, Int(node.end) + 1) : (Int(node.start), Int(node.end))
            output.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: end - start))
        }

        /// The object at `index` without the members named in `leaving`; `commands` names the
        /// keys whose value is a list of x2many commands, and what to leave out of their records.
        mutating func object(_ index: Int, leaving: [StaticString], commands: (JSONNode) -> [StaticString]?) {
            output.append(UInt8(ascii: "{"))
            var first = true
            var key = index + 1
            let end = Int(nodes[index].next)
            while key < end {
                let value = key + 1
                let next = Int(nodes[value].next)
                defer { key = next }
                if leaving.contains(where: { JSONKeyOrder.key(nodes[key], bytes, equals: $0) }) { continue }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                raw(key)
                output.append(UInt8(ascii: ":"))
                if let inner = commands(nodes[key]), nodes[value].kind == .array {
                    commandList(value, leaving: inner)
                } else {
                    raw(value)
                }
            }
            output.append(UInt8(ascii: "}"))
        }

        /// `[[0, 0, {…}], …]`: each command's record object without `leaving`; anything else as it is.
        mutating func commandList(_ index: Int, leaving: [StaticString]) {
            output.append(UInt8(ascii: "["))
            var command = index + 1
            let end = Int(nodes[index].next)
            while command < end {
                if command != index + 1 { output.append(UInt8(ascii: ",")) }
                if nodes[command].kind == .array {
                    output.append(UInt8(ascii: "["))
                    var element = command + 1
                    let last = Int(nodes[command].next)
                    while element < last {
                        if element != command + 1 { output.append(UInt8(ascii: ",")) }
                        if nodes[element].kind == .object {
                            object(element, leaving: leaving) { _ in nil }
                        } else {
                            raw(element)
                        }
                        element = Int(nodes[element].next)
                    }
                    output.append(UInt8(ascii: "]"))
                } else {
                    raw(command)
                }
                command = Int(nodes[command].next)
            }
            output.append(UInt8(ascii: "]"))
        }
    }
}
