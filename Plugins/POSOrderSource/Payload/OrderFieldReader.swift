/// Reads an order's structured fields from its parsed tape, for Odoo 18 (`order.serialize`) and
/// Odoo ≤ 17 (`export_as_JSON`) alike.
///
/// Odoo's value forms: `false` stands for "no value" (ids, strings, dates); ids may arrive as
/// strings (`"12"`); a many-to-one may be `[id, "name"]` (the id is taken). Lines and payments come
/// from `[0, 0, {…}]` commands; other commands (`[1, id, …]`, `[4, id]`, `[6, 0, ids]`…) are
/// ignored, and a plain `{…}` element is read as a line (some exports write them so).
struct OrderFieldReader {
    let nodes: UnsafeBufferPointer<JSONNode>
    let bytes: UnsafePointer<UInt8>

    private enum OrderKey: Int, CaseIterable {
        case uuid, accessToken, posReference, name, uid, sessionID, posSessionID, configID, companyID
        case userID, partnerID, dateOrder, creationDate, backupDate
        case amountTotal, amountTax, amountPaid, amountReturn, lines, paymentIDs, statementIDs
    }

    private static let orderKeys: [(StaticString, OrderKey)] = [
        ("uuid", .uuid), ("access_token", .accessToken), ("pos_reference", .posReference), ("name", .name),
        ("uid", .uid), ("session_id", .sessionID), ("pos_session_id", .posSessionID), ("config_id", .configID),
        ("company_id", .companyID), ("user_id", .userID), ("partner_id", .partnerID), ("date_order", .dateOrder),
        ("creation_date", .creationDate), ("backup_date", .backupDate), ("amount_total", .amountTotal),
        ("amount_tax", .amountTax), ("amount_paid", .amountPaid), ("amount_return", .amountReturn),
        ("lines", .lines), ("payment_ids", .paymentIDs), ("statement_ids", .statementIDs),
    ]

    private enum LineKey { case productID, fullProductName, qty, priceUnit, discount, priceSubtotal, priceSubtotalIncl }

    private static let lineKeys: [(StaticString, LineKey)] = [
        ("product_id", .productID), ("full_product_name", .fullProductName), ("qty", .qty),
        ("price_unit", .priceUnit), ("discount", .discount), ("price_subtotal", .priceSubtotal),
        ("price_subtotal_incl", .priceSubtotalIncl),
    ]

    private enum PaymentKey { case paymentMethodID, amount, paymentDate, name, isChange }

    private static let paymentKeys: [(StaticString, PaymentKey)] = [
        ("payment_method_id", .paymentMethodID), ("amount", .amount), ("payment_date", .paymentDate),
        ("name", .name), ("is_change", .isChange),
    ]

    /// The record of the order at the tape's root, without its hash and payload (the decoder adds
    /// them). `fallbackConfigID` serves when the order has no `config_id`.
    func record(fallbackConfigID: Int64?) throws(PayloadRejection) -> OrderRecord {
        var found = [Int](repeating: -1, count: OrderKey.allCases.count)
        forEachMember(of: 0) { key, value in
            if let name = lookUp(key, in: OrderFieldReader.orderKeys) { found[name.rawValue] = value }
        }
        func node(_ key: OrderKey) -> Int? { found[key.rawValue] >= 0 ? found[key.rawValue] : nil }

        let uuid = nonEmpty(node(.uuid).flatMap(string))
        let accessToken = nonEmpty(node(.accessToken).flatMap(string))
        let posReference = node(.posReference).flatMap(string)
        let name = node(.name).flatMap(string)
        let reference = posReference.flatMap(OrderReference.normalised) ?? name.flatMap(OrderReference.normalised)
            ?? node(.uid).flatMap(string).flatMap(OrderReference.normalised)
        let key: String
        let keyKind: OrderRecord.KeyKind
        if let uuid {
            (key, keyKind) = (uuid, .uuid)
        } else if let accessToken {
            (key, keyKind) = (accessToken, .accessToken)
        } else if let reference {
            (key, keyKind) = (reference, .reference)
        } else {
            throw PayloadRejection("no uuid, access_token or order reference")
        }
        return OrderRecord(
            key: key, keyKind: keyKind, uuid: uuid, accessToken: accessToken,
            posReference: posReference, name: name, reference: reference,
            sessionID: node(.sessionID).flatMap(int64) ?? node(.posSessionID).flatMap(int64),
            configID: node(.configID).flatMap(int64) ?? fallbackConfigID,
            companyID: node(.companyID).flatMap(int64),
            userID: node(.userID).flatMap(int64),
            partnerID: node(.partnerID).flatMap(int64),
            orderDate: node(.dateOrder).flatMap(time) ?? node(.creationDate).flatMap(time),
            capturedAt: node(.backupDate).flatMap(time),
            amountTotal: node(.amountTotal).flatMap(double),
            amountTax: node(.amountTax).flatMap(double),
            amountPaid: node(.amountPaid).flatMap(double),
            amountReturn: node(.amountReturn).flatMap(double),
            lines: node(.lines).map(lines) ?? [],
            payments: (node(.paymentIDs) ?? node(.statementIDs)).map(payments) ?? [],
            contentSHA256: "", payload: [])
    }

    // MARK: - Lines and payments

    private func lines(_ list: Int) -> [OrderLine] {
        var result: [OrderLine] = []
        forEachCommandRecord(in: list) { record in
            var line = OrderLine(lineNo: result.count + 1)
            forEachMember(of: record) { key, value in
                switch lookUp(key, in: OrderFieldReader.lineKeys) {
                case .productID: line.productID = int64(value)
                case .fullProductName: line.fullProductName = string(value)
                case .qty: line.qty = double(value)
                case .priceUnit: line.priceUnit = double(value)
                case .discount: line.discount = double(value)
                case .priceSubtotal: line.priceSubtotal = double(value)
                case .priceSubtotalIncl: line.priceSubtotalIncl = double(value)
                case nil: break
                }
            }
            result.append(line)
        }
        return result
    }

    private func payments(_ list: Int) -> [OrderPayment] {
        var result: [OrderPayment] = []
        forEachCommandRecord(in: list) { record in
            var payment = OrderPayment()
            var nameTime: String?
            forEachMember(of: record) { key, value in
                switch lookUp(key, in: OrderFieldReader.paymentKeys) {
                case .paymentMethodID: payment.paymentMethodID = int64(value)
                case .amount: payment.amount = double(value)
                case .paymentDate: payment.paymentDate = time(value)
                // Odoo ≤ 17 puts the payment's time in its `name`.
                case .name: nameTime = time(value)
                case .isChange: payment.isChange = bool(value)
                case nil: break
                }
            }
            if payment.paymentDate == nil { payment.paymentDate = nameTime }
            result.append(payment)
        }
        return result
    }

    /// The record object of each `[0, 0, {…}]` command (or plain object) in a list.
    private func forEachCommandRecord(in list: Int, _ body: (Int) -> Void) {
        guard nodes[list].kind == .array else { return }
        forEachElement(of: list) { element in
            switch nodes[element].kind {
            case .object:
                body(element)
            case .array:
                let command = element + 1
                guard command < Int(nodes[element].next), nodes[command].kind == .number,
                      int64(command) == 0 else { return }
                let second = Int(nodes[command].next)
                guard second < Int(nodes[element].next) else { return }
                let record = Int(nodes[second].next)
                guard record < Int(nodes[element].next), nodes[record].kind == .object else { return }
                body(record)
            default:
                return
            }
        }
    }

    // MARK: - Walking the tape

    private func forEachMember(of object: Int, _ body: (_ key: JSONNode, _ value: Int) -> Void) {
        guard nodes[object].kind == .object else { return }
        var child = object + 1
        let end = Int(nodes[object].next)
        while child < end {
            body(nodes[child], child + 1)
            child = Int(nodes[child + 1].next)
        }
    }

    private func forEachElement(of array: Int, _ body: (Int) -> Void) {
        var child = array + 1
        let end = Int(nodes[array].next)
        while child < end {
            body(child)
            child = Int(nodes[child].next)
        }
    }

    private func lookUp<Name>(_ key: JSONNode, in table: [(StaticString, Name)]) -> Name? {
        for (text, name) in table where JSONKeyOrder.key(key, bytes, equals: text) { return name }
        return nil
    }

    // MARK: - Values

    private func text(_ node: JSONNode) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes + Int(node.start), count: Int(node.end - node.start))
    }

    private func string(_ index: Int) -> String? {
        let node = nodes[index]
        guard node.kind == .string else { return nil }
        guard node.escaped else { return String(decoding: text(node), as: UTF8.self) }
        var decoded: [UInt8] = []
        JSONText.decode(bytes, from: Int(node.start), to: Int(node.end), into: &decoded)
        return String(decoding: decoded, as: UTF8.self)
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// An id: a number, a numeric string, or the first element of `[id, "name"]`; `false` is none.
    private func int64(_ index: Int) -> Int64? {
        let node = nodes[index]
        switch node.kind {
        case .number:
            return JSONNumberText.int64(text(node))
        case .string:
            return withTrimmedText(index) { JSONNumberText.int64($0) }
        case .array:
            let first = index + 1
            guard first < Int(node.next), nodes[first].kind == .number || nodes[first].kind == .string else { return nil }
            return int64(first)
        default:
            return nil
        }
    }

    private func double(_ index: Int) -> Double? {
        let node = nodes[index]
        switch node.kind {
        case .number:
            return JSONNumberText.double(text(node))
        case .string:
            return withTrimmedText(index) { digits in
                // Only number text: Double(String) would also take "nan" or "inf".
                digits.allSatisfy({ $0 &- 0x30 < 10 || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 | 0x20 == 0x65 })
                    ? JSONNumberText.double(digits) : nil
            }
        default:
            return nil
        }
    }

    private func bool(_ index: Int) -> Bool? {
        switch nodes[index].kind {
        case .trueLiteral: return true
        case .falseLiteral: return false
        default: return nil
        }
    }

    private func time(_ index: Int) -> String? {
        withTrimmedText(index) { OdooTimestamp.utc($0) }
    }

    /// Runs `body` on a string value's decoded text without its surrounding spaces; nil for other kinds.
    private func withTrimmedText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        let node = nodes[index]
        guard node.kind == .string else { return nil }
        func trimmed(_ text: UnsafeBufferPointer<UInt8>) -> T? {
            var start = 0
            var end = text.count
            while start < end, text[start] == 0x20 { start += 1 }
            while end > start, text[end - 1] == 0x20 { end -= 1 }
            return body(UnsafeBufferPointer(rebasing: text[start..<end]))
        }
        if !node.escaped { return trimmed(text(node)) }
        var decoded: [UInt8] = []
        JSONText.decode(bytes, from: Int(node.start), to: Int(node.end), into: &decoded)
        return decoded.withUnsafeBufferPointer { trimmed($0) }
    }
}
