import Foundation
@testable import POSOrderSource
import XCTest

/// The stats' JSON shape, the terminal table and the HTML page.
final class OrderStatsRenderingTests: XCTestCase {
    private let sample = OrderStats(
        byState: .init(["synced": 5, "verified": 12, "imported": 2, "duplicate": 1]),
        missingBySession: [.init(id: 7, missing: 1), .init(id: nil, missing: 3), .init(id: 42, missing: 3), .init(id: 3, missing: 1)],
        missingByConfig: [.init(id: 2, missing: 8)],
        perDay: [.init(day: "2026-01-11", orders: 12, missing: 5), .init(day: "2026-01-10", orders: 8, missing: 3)])

    func testJSONIsTheREADMEShapeWithEveryStateAndNullIDs() throws {
        // Sorted keys: Foundation's JSONEncoder keeps no order of keys (the README's is a list
        // of names, not an order a JSON reader may rely on).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(sample), as: UTF8.self)
        XCTAssertEqual(text, """
            {"by_state":{"duplicate":1,"error":0,"imported":2,"synced":5,"verified":12},\
            "missing_by_config":[{"config_id":2,"missing":8}],\
            "missing_by_session":[{"missing":3,"session_id":42},{"missing":3,"session_id":null},{"missing":1,"session_id":3},\
            {"missing":1,"session_id":7}],\
            "per_day":[{"day":"2026-01-10","missing":3,"orders":8},{"day":"2026-01-11","missing":5,"orders":12}],\
            "success_rate":0.75,"total":20}
            """)
    }

    func testAnEmptyStoreHasARateOfZero() throws {
        let empty = OrderStats(byState: .init(), missingBySession: [], missingByConfig: [], perDay: [])
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(empty)) as? [String: Any]
        XCTAssertEqual(json?["success_rate"] as? Double, 0)
        XCTAssertEqual(json?["by_state"] as? [String: Int], ["synced": 0, "verified": 0, "imported": 0, "duplicate": 0, "error": 0])
        XCTAssertTrue(empty.text().contains("no order has an order date"))
        XCTAssertTrue(empty.html(title: "empty", generatedAt: Date()).contains("<svg"))
    }

    func testTextTable() {
        let text = sample.text()
        XCTAssertTrue(text.hasPrefix("orders: 20, success rate 75.0 % (verified + imported + duplicate)\n"), text)
        XCTAssertTrue(text.contains("\n  verified             12\n"), text)
        XCTAssertTrue(text.contains("\n  error                 0\n"), text)
        XCTAssertTrue(text.contains("missing on server by session\n  session 42            3\n  no session            3\n"), text)
        XCTAssertTrue(text.contains("\n  config 2              8\n"), text)
        XCTAssertTrue(text.contains("\n  2026-01-10            8         3\n  2026-01-11           12         5\n"), text)
    }

    func testTextListsTheTopSessionsOnly() {
        let many = OrderStats(byState: .init(["synced": 30]), missingBySession: (1...30).map { .init(id: Int64($0), missing: $0) },
                              missingByConfig: [], perDay: [])
        let text = many.text()
        XCTAssertTrue(text.contains("missing on server by session (top 10 of 30)\n  session 30           30\n"), text)
        XCTAssertFalse(text.contains("session 20 "), text)
    }

    func testHTMLIsSelfContainedWithChartsAndEscaped() {
        let html = sample.html(title: "Toko <Maju> & \"Jaya\"", generatedAt: Date(timeIntervalSince1970: 1_768_098_425))
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 3, "per day, states, missing by session")
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://") || html.contains("src=") || html.contains("href="),
                       "no external resource")
        XCTAssertTrue(html.contains("<h1>Toko &lt;Maju&gt; &amp; &quot;Jaya&quot;</h1>"))
        XCTAssertTrue(html.contains("<title>Toko &lt;Maju&gt; &amp; &quot;Jaya&quot;</title>"))
        XCTAssertTrue(html.contains("generated 2026-01-11 02:27:05 UTC"))
        XCTAssertTrue(html.contains("<title>2026-01-11: 12 orders, 5 missing</title>"))
        XCTAssertTrue(html.contains("<td>session 42</td><td>3</td>"))
        XCTAssertTrue(html.contains("75.0 %"))
    }

    func testEscapingHelper() {
        XCTAssertEqual(StatsHTML.escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;")
        XCTAssertEqual(StatsHTML.escape("Kopi Susu — 2×"), "Kopi Susu — 2×")
        XCTAssertEqual(StatsHTML.escape("&amp;"), "&amp;amp;", "escaped once more, never taken as already escaped")
        XCTAssertEqual(StatsHTML.escape(-42), "-42")
        XCTAssertEqual(StatsHTML.coordinate(12.0), "12")
        XCTAssertEqual(StatsHTML.coordinate(12.34), "12.3")
    }
}
