import Foundation
import POSOrderSource
import POSTestSupport
import XCTest

/// What the Odoo tests share: a client for a stand-in user, the example payload as sync_from_ui
/// wants it, and a check that an expression throws one OdooError.
enum OdooTest {
    /// The seeded rows as lookups a third each by uuid, access_token and offline reference, plus
    /// 100 that are not in Odoo; and which row each key must get.
    static func seededLookups(_ standIn: OdooStandIn) throws -> ([OrderLookup], [String: (Int, OdooOrderMatch.MatchedBy)]) {
        let rows = try standIn.execute("SELECT id, uuid, access_token, pos_reference FROM pos_order ORDER BY id")
        var lookups: [OrderLookup] = []
        var expected: [String: (Int, OdooOrderMatch.MatchedBy)] = [:]
        for (index, line) in rows.enumerated() {
            let column = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let id = try XCTUnwrap(Int(column[0]))
            let key = "k\(index)"
            switch index % 3 {
            case 0:
                lookups.append(OrderLookup(key: key, uuid: column[1], accessToken: nil, name: nil, posReference: nil))
                expected[key] = (id, .uuid)
            case 1:
                lookups.append(OrderLookup(key: key, uuid: "gone-\(index)", accessToken: column[2], name: nil, posReference: nil))
                expected[key] = (id, .accessToken)
            default:
                let reference = try XCTUnwrap(OrderReference.normalised(column[3]))
                lookups.append(OrderLookup(key: key, uuid: nil, accessToken: nil, name: nil, posReference: reference))
                expected[key] = (id, .reference)
            }
        }
        for missing in 0..<100 {
            lookups.append(OrderLookup(key: "missing\(missing)", uuid: "nope-\(missing)", accessToken: nil,
                                       name: "Order 09999-001-\(String(format: "%04d", missing))", posReference: nil))
        }
        return (lookups, expected)
    }

    static func client(_ standIn: OdooStandIn, _ user: OdooStandIn.User = .cashier, timeout: TimeInterval = 10) -> OdooClient {
        OdooClient(url: standIn.url, database: standIn.databaseName, user: user.login, apiKey: user.apiKey, timeout: timeout)
    }

    /// `odoo18-offline-order.json` with the capture's keys stripped, as an import sends it.
    static func offlineOrder() throws -> [String: Any] {
        guard var order = try JSONSerialization.jsonObject(with: Data(PayloadExamples.odoo18Offline)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        for key in ["backup_date", "synced", "config_id", "receipt_html", "sync_date", "id"] {
            order.removeValue(forKey: key)
        }
        order["lines"] = strip(order["lines"], "order_id")
        order["payment_ids"] = strip(order["payment_ids"], "pos_order_id")
        return order
    }

    private static func strip(_ commands: Any?, _ key: String) -> [Any] {
        (commands as? [[Any]] ?? []).map { command in
            guard command.count == 3, var values = command[2] as? [String: Any] else { return command }
            values.removeValue(forKey: "id")
            values.removeValue(forKey: key)
            return [command[0], command[1], values]
        }
    }

    static func sync(_ client: OdooClient, _ orders: [[String: Any]]) throws(OdooError) -> [String: Any] {
        let result = try client.executeKw(model: "pos.order", method: "sync_from_ui", args: [orders],
                                          kwargs: ["context": ["config_id": 3]])
        return result as? [String: Any] ?? [:]
    }

    /// The OdooError `body` throws; fails the test when it throws none or another error.
    static func error(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> OdooError? {
        do {
            try body()
            XCTFail("expected an OdooError, got none", file: file, line: line)
        } catch let error as OdooError {
            return error
        } catch {
            XCTFail("expected an OdooError, got \(error)", file: file, line: line)
        }
        return nil
    }
}
