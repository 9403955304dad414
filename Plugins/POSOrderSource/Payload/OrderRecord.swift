/// One order read from a payload item: who it is, the structured columns the store filters on, its
/// lines and payments, and the hash that tells one version of it from another.
struct OrderRecord: Sendable, Equatable {
    /// Which field gave the order its key (README "Identity and versions").
    enum KeyKind: String, Sendable {
        case uuid
        case accessToken = "access_token"
        case reference
    }

    /// The store's key: the uuid, else the access token, else the normalised reference.
    var key: String
    var keyKind: KeyKind
    var uuid: String?
    var accessToken: String?
    /// As the payload has it (`"00042-003-0017"` offline, `"Order 00042-003-0017"` online).
    var posReference: String?
    /// As the payload has it (`"Order 00042-003-0017"` offline, `"Shop/0017"` online).
    var name: String?
    /// The trailing `NNNNN-NNN-NNNN` of `pos_reference` or `name` (≤17: `uid`).
    var reference: String?
    var sessionID: Int64?
    var configID: Int64?
    var companyID: Int64?
    var userID: Int64?
    var partnerID: Int64?
    /// `date_order` (≤17: `creation_date`), UTC `YYYY-MM-DD HH:MM:SS`.
    var orderDate: String?
    /// The till's `backup_date`, converted to UTC `YYYY-MM-DD HH:MM:SS`.
    var capturedAt: String?
    var amountTotal: Double?
    var amountTax: Double?
    var amountPaid: Double?
    var amountReturn: Double?
    var lines: [OrderLine]
    var payments: [OrderPayment]
    /// Lowercase hex SHA-256 of the payload's canonical JSON (keys sorted, capture keys left out).
    var contentSHA256: String
    /// The item's bytes as received: valid UTF-8 JSON, one object.
    var payload: [UInt8]
}

/// One line of an order, from a `[0, 0, {…}]` command of `lines`.
struct OrderLine: Sendable, Equatable {
    /// Position in the payload's `lines`, from 1.
    var lineNo: Int
    var productID: Int64?
    var fullProductName: String?
    var qty: Double?
    var priceUnit: Double?
    var discount: Double?
    var priceSubtotal: Double?
    var priceSubtotalIncl: Double?
}

/// One payment of an order, from `payment_ids` (≤17: `statement_ids`).
struct OrderPayment: Sendable, Equatable {
    var paymentMethodID: Int64?
    var amount: Double?
    /// UTC `YYYY-MM-DD HH:MM:SS` when the payload has one.
    var paymentDate: String?
    var isChange: Bool?
}
