import CadangCore
import XCTest

/// Retention rules from option texts and plugin options; emptiness; restic's policy line.
final class RetentionRulesTests: XCTestCase {
    func testFromTexts() throws {
        let rules = try RetentionRules(["keep_last": "-1", "keep_hourly": "24", "keep_daily": " 7 ", "keep_weekly": "unlimited",
                                        "keep_monthly": "0", "keep_yearly": "75", "keep_within": "1y2m",
                                        "keep_within_hourly": "2d", "keep_within_daily": "7d", "keep_within_weekly": "1m",
                                        "keep_within_monthly": "1y", "keep_within_yearly": "75y"])
        XCTAssertEqual(rules, RetentionRules(keepLast: -1, keepHourly: 24, keepDaily: 7, keepWeekly: RetentionRules.unlimited,
                                             keepMonthly: 0, keepYearly: 75, keepWithin: RetentionSpan(years: 1, months: 2),
                                             keepWithinHourly: RetentionSpan(days: 2), keepWithinDaily: RetentionSpan(days: 7),
                                             keepWithinWeekly: RetentionSpan(months: 1), keepWithinMonthly: RetentionSpan(years: 1),
                                             keepWithinYearly: RetentionSpan(years: 75)))
        // `5m` is five months here, never five minutes.
        XCTAssertEqual(try RetentionRules(["keep_within": "5m"]).keepWithin, RetentionSpan(months: 5))
        XCTAssertEqual(try RetentionRules([:]), RetentionRules())
    }

    func testBadTextsNameTheOption() {
        let cases = [("keep_daily", "-2", "negative"), ("keep_daily", "seven", "not a count"), ("keep_last", "1.5", "not a count"),
                     ("keep_within", "1w", "7d"), ("keep_within_daily", "", "empty"), ("keep_within", "-1d", "negative"),
                     ("keep_forever", "1", "not a retention rule")]
        for (name, text, words) in cases {
            let error = assertCadangError(.usage, "\(name)=\(text)") { try RetentionRules([name: text]) }
            XCTAssertTrue(error?.message.hasPrefix(name) == true, error?.description ?? "")
            XCTAssertTrue(error?.message.contains(words) == true, error?.description ?? "")
        }
        var rules = RetentionRules()
        assertCadangError(.usage) { try rules.set("keep_within", span: RetentionSpan(days: -1)) }
        assertCadangError(.usage) { try rules.set("keep_daily", count: -3) }
        assertCadangError(.usage) { try rules.set("keep_within", count: 3) }
    }

    func testFromPluginOptions() throws {
        let options = PluginOptions(["keep_daily": .integer(7), "keep_monthly": .string("unlimited"), "keep_last": .string("3"),
                                     "keep_within": .string("1m"), "path": .string("/backups"), "verbose": .boolean(true)])
        XCTAssertEqual(try RetentionRules(options: options),
                       RetentionRules(keepLast: 3, keepDaily: 7, keepMonthly: -1, keepWithin: RetentionSpan(months: 1)))
        XCTAssertEqual(try RetentionRules(options: PluginOptions()), RetentionRules())
        let bad: [(String, OptionValue)] = [("keep_daily", .integer(-5)), ("keep_daily", .boolean(true)),
                                            ("keep_within", .duration(60)), ("keep_within", .integer(7)),
                                            ("keep_yearly", .number(1.5))]
        for (name, value) in bad {
            let error = assertCadangError(.usage, "\(name): \(value)") { try RetentionRules(options: PluginOptions([name: value])) }
            XCTAssertTrue(error?.message.hasPrefix(name) == true, error?.description ?? "")
        }
        let minutes = assertCadangError(.usage) { try RetentionRules(options: PluginOptions(["keep_within": .duration(300)])) }
        XCTAssertTrue(minutes?.description.contains("m = months") == true, minutes?.description ?? "")
    }

    func testOptionSpecsDeclareEveryRule() {
        XCTAssertEqual(RetentionRules.optionSpecs.map(\.name), RetentionRules.countNames + RetentionRules.spanNames)
        for spec in RetentionRules.optionSpecs {
            XCTAssertEqual(spec.type, RetentionRules.countNames.contains(spec.name) ? .integer : .string, spec.name)
            XCTAssertNil(spec.defaultValue)
            XCTAssertFalse(spec.doc.isEmpty)
        }
    }

    func testIsEmpty() throws {
        XCTAssertTrue(RetentionRules().isEmpty)
        XCTAssertTrue(try RetentionRules(["keep_last": "0", "keep_within": "0d", "keep_within_yearly": "0y0m0d0h"]).isEmpty)
        XCTAssertFalse(RetentionRules(keepLast: 1).isEmpty)
        XCTAssertFalse(RetentionRules(keepYearly: -1).isEmpty)
        XCTAssertFalse(RetentionRules(keepWithin: RetentionSpan(hours: 1)).isEmpty)
        XCTAssertFalse(RetentionRules(keepWithinWeekly: RetentionSpan(days: 1)).isEmpty)
    }

    /// restic's `ExpirePolicy.String()`, as `forget` prints it before the plan.
    func testDescriptionIsResticsPolicyLine() {
        XCTAssertEqual(RetentionRules().description, "remove")
        XCTAssertEqual(RetentionRules(keepDaily: 4).description, "keep 4 daily snapshots")
        XCTAssertEqual(RetentionRules(keepLast: 2, keepDaily: 7, keepMonthly: -1).description,
                       "keep 2 latest, 7 daily, all monthly snapshots")
        XCTAssertEqual(RetentionRules(keepWithin: RetentionSpan(months: 1)).description, "keep all snapshots within 1m of the newest")
        XCTAssertEqual(RetentionRules(keepDaily: 7, keepWithin: RetentionSpan(years: 1), keepWithinDaily: RetentionSpan(days: 7),
                                      keepWithinYearly: RetentionSpan(years: 75)).description,
                       "keep 7 daily snapshots, daily snapshots within 7d, yearly snapshots within 75y and all snapshots within 1y of the newest")
    }
}
