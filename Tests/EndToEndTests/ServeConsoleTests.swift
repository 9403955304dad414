import Foundation
import POSTestSupport
import XCTest

/// `cadang serve`'s web console driven in headless Chromium (Tests/ConsoleBrowser/console_test.py,
/// on Debian's chromium, chromium-driver and python3-selenium, which Scripts/test installs): the
/// manager's day — log in, Missing on Server, import with a preview, cleanup with a preview, the
/// dashboard — and markup from a payload shown as text on every page. The screenshots in
/// Docs/screenshots are this run's. Without Chromium the test fails; it never skips.
final class ServeConsoleTests: XCTestCase {
    static let script = KasirTests.repositoryRoot.appendingPathComponent("Tests/ConsoleBrowser/console_test.py")
    static let screenshots = KasirTests.repositoryRoot.appendingPathComponent("Docs/screenshots")

    /// A reference, a product name, a note and a receipt of HTML that must never become markup.
    static let hostileKey = ImportWorkspace.uuid(99)

    static func hostileOrder() throws -> String {
        try ImportWorkspace.offlineOrder(99, replacing: [
            "\"pos_reference\": \"00042-003-0099\"": #""pos_reference": "<script>window.__xss=1</script>\"><img src=x onerror=window.__xss=2> 00042-003-0099""#,
            "\"full_product_name\": \"Iced Latte\"": #""full_product_name": "\"><img src=x onerror=window.__xss=3>""#,
            "\"general_note\": \"\"": #""general_note": "<script>window.__xss=4</script>""#,
            #""receipt_html": "<div class=\"pos-receipt\">...</div>""#: #""receipt_html": "<b id=\"receipt-bold\">TOTAL</b><script>window.__xss=5</script>""#,
        ])
    }

    func testAManagersDayInTheConsole() throws {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: Scripts/test installs chromium and chromium-driver")
        }
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let job = try ImportWorkspace(standIn, extra: "  toko: { sources: [kasir], sinks: [json, usb] }\n" + ServeProcess.section,
                                      extraSources: "  kasir: { plugin: kasir-sqlite, database: kasir.db }\n",
                                      extraSinks: "  usb: { plugin: targz, path: ./usb }\n")
        try KasirTests.makeDatabase(at: job.workspace.url.appendingPathComponent("kasir.db"), transactions: 50)
        let missing = (1...6).map(ImportWorkspace.uuid)
        try job.ingest(try (1...6).map { try ImportWorkspace.offlineOrder($0) } + [try Self.hostileOrder()])
        XCTAssertEqual(try job.cadang(["run", "toko"]).status, 0)
        let server = try ServeProcess(in: job.workspace.url, environment: job.environment)

        let arguments: [String: Any] = [
            "chosen": [missing[1], missing[3]], "missing": missing + [Self.hostileKey], "missing_left": missing[0],
            "hostile": Self.hostileKey, "jobs": ["pos", "toko"],
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Self.script.path, server.url.absoluteString, ServeProcess.managerToken, Self.screenshots.path,
                             String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "the browser run failed: \(complaints)")
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: printed) as? [String: Any], complaints)
        let checks = try XCTUnwrap(result["checks"] as? [String: Any])
        XCTAssertGreaterThan(checks.count, 30, "every check ran")
        for (name, value) in checks.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(value as? Bool, true, "\(name): \(value)")
        }
        XCTAssertEqual(result["console_errors"] as? [String], [], "no console errors on any page")

        // What the browser did is what the store and Odoo hold.
        XCTAssertEqual(try job.odooCopies(), [missing[1]: 1, missing[3]: 1], "imported once each, nothing else")
        let orders = try job.orders()
        XCTAssertNil(orders[missing[1]], "imported, then cleaned up")
        XCTAssertEqual(orders[missing[0]]?[0], "synced", "a form without its CSRF token changed nothing")
        XCTAssertFalse(server.log.contains(ServeProcess.managerToken), "the token never reaches the log")
    }
}
