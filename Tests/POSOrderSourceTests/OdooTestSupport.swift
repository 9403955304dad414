import Foundation
import POSOrderSource
import POSTestSupport
import XCTest

/// What the Odoo tests share: a client for a stand-in user, the example payload as sync_from_ui
/// wants it, and a check that an expression throws one OdooError.
enum OdooTest {
    static func client(_ standIn: OdooStandIn, _ user: OdooStandIn.User = .cashier, timeout: TimeInterval = 10) -> OdooClient {
        OdooClient(url: standIn.url, database: standIn.databaseName, user: user.login, apiKey: user.apiKey, timeout: timeout)
    }

    /// `odoo18-offline-order.json` with the capture's keys stripped, as an import sends it.
    static func offlineOrder() throws -> [String: Any] {
        let file = OdooStandIn.folder.appendingPathComponent("odoo18-offline-order.json")
        guard var order = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] else {
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
