import CadangCore
@testable import CadangHost
import CadangPlugins
import Foundation
import XCTest

/// Every rule a plugin enforces is reported by the config check, at its option's line and column,
/// all at once — before any plugin is built.
final class PluginRuleTests: XCTestCase {
    private let base = URL(fileURLWithPath: "/srv/shop/cadang.yaml")

    /// The diagnostics of a config whose `sinks:`/`policies:` lines are `body`, with one job using them all.
    private func problems(sinks: [String] = [], policies: [String] = [], jobs: String? = nil) -> [String] {
        let sinkNames = sinks.map { String($0.split(separator: ":")[0]) }
        let policyNames = policies.map { String($0.split(separator: ":")[0]) }
        let yaml = """
            sources:
              kasir: { plugin: kasir-sqlite, database: kasir.db }
            sinks:
            \(sinks.map { "  " + $0 }.joined(separator: "\n"))
            policies:
            \(policies.map { "  " + $0 }.joined(separator: "\n"))
            jobs:
            \(jobs ?? "  auto: { sources: [kasir], sinks: [\(sinkNames.joined(separator: ", "))], policies: [\(policyNames.joined(separator: ", "))] }")

            """
        do {
            // Rule problems make the components unusable and `config check` fail, but do not stop the loading.
            let config = try ConfigLoader(registry: .builtIn, environment: [:]).parse(yaml, file: "cadang.yaml", url: base)
            XCTAssertFalse(config.problems.isEmpty, "expected a config error for:\n\(yaml)")
            return ConfigError(config.problems).diagnostics.map(\.description)
        } catch let error as ConfigError {
            return error.diagnostics.map(\.description)
        } catch {
            XCTFail("unexpected error \(error)")
            return []
        }
    }

    func testTargzLevelOutOfRangeForItsCompression() {
        XCTAssertEqual(problems(sinks: ["usb: { plugin: targz, path: /media/usb, level: 99 }"]),
                       ["cadang.yaml:4:43: option 'level' of sink 'usb' is 99, out of range for gzip; use 1–12"])
        XCTAssertEqual(problems(sinks: ["usb: { plugin: targz, path: /media/usb, compression: zstd, level: 20 }"]),
                       ["cadang.yaml:4:62: option 'level' of sink 'usb' is 20, out of range for zstd; use 1–19"])
    }

    func testTargzThreadsZero() {
        let found = problems(sinks: ["usb: { plugin: targz, path: /media/usb, threads: 0 }"])
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertTrue(found.first?.hasPrefix("cadang.yaml:4:52: option 'threads' of sink 'usb' must be between 1 and 256, not '0'") == true, "\(found)")
    }

    func testTargzKeepRuleThatIsNoRule() {
        let found = problems(sinks: ["usb: { plugin: targz, path: /media/usb, keep_within: soon }"])
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertTrue(found.first?.hasPrefix("cadang.yaml:4:43: option 'keep_within' of sink 'usb'") == true, "\(found)")
    }

    func testEmptyRetentionPolicy() {
        XCTAssertEqual(problems(policies: ["harian: { plugin: retention }"]),
                       ["cadang.yaml:6:3: policy 'harian' has no keep_* rule, so it would remove every set; add a rule such as keep_last: 10 or keep_daily: 7"])
    }

    func testRetentionNegativeCount() {
        let found = problems(policies: ["harian: { plugin: retention, keep_daily: -3 }"])
        XCTAssertEqual(found, ["cadang.yaml:6:32: option 'keep_daily' of policy 'harian' -3 is negative; use -1 (unlimited) to keep all, or 0 for none"])
    }

    func testDuplicateNewRowsWithoutKey() {
        XCTAssertEqual(problems(policies: ["sama: { plugin: duplicate, mode: new-rows }"]),
                       ["cadang.yaml:6:30: option 'mode' of policy 'sama' is new-rows but names no key, so it would write every row; add e.g. key: { transaksi: kode_transaksi }"])
    }

    func testDuplicateSkipUnchangedWithAKey() {
        XCTAssertEqual(problems(policies: ["sama: { plugin: duplicate, mode: skip-unchanged, key: { transaksi: id } }"]),
                       ["cadang.yaml:6:52: option 'key' of policy 'sama' applies only to mode new-rows; remove 'key' or set mode: new-rows"])
    }

    func testDuplicateEmptyKeyIsReportedAtItsDataset() {
        XCTAssertEqual(problems(policies: ["sama: { plugin: duplicate, mode: new-rows, key: { transaksi: '' } }"]),
                       ["cadang.yaml:6:53: option 'key.transaksi' of policy 'sama' is empty: it names no column of dataset 'transaksi'; name the column that identifies a row"])
    }

    func testRecordRulesAreCheckedLikeOptions() {
        XCTAssertEqual(problems(policies: ["bersih: { plugin: retention, keep_last: 3, records: { older_than: soon } }"]),
                       ["cadang.yaml:6:69: option 'older_than' of option 'records' of policy 'bersih' must be a duration such as 30s, 5m, 2h or 7d, not 'soon'; Records whose own date is older than this (e.g. 30d)."])
        let misspelt = problems(policies: ["bersih: { plugin: retention, keep_last: 3, records: { olderthan: 30d } }"])
        XCTAssertTrue(misspelt.contains { $0.contains("unknown option 'olderthan'") && $0.contains("did you mean 'older_than'?") }, "\(misspelt)")
        XCTAssertTrue(misspelt.contains { $0.contains("needs the option 'older_than'") }, "\(misspelt)")
    }

    func testEveryProblemIsReportedAtOnce() {
        let found = problems(sinks: ["usb: { plugin: targz, path: /media/usb, level: 99 }", "usb2: { plugin: targz, path: /mnt/usb, threads: 0 }"],
                             policies: ["harian: { plugin: retention }", "sama: { plugin: duplicate, mode: new-rows }"])
        XCTAssertEqual(found.count, 4, "\(found)")
        XCTAssertEqual(found.map { $0.split(separator: ":").prefix(2).joined(separator: ":") },
                       ["cadang.yaml:4", "cadang.yaml:5", "cadang.yaml:7", "cadang.yaml:8"], "\(found)")
    }

    func testReservedJobName() {
        let found = problems(jobs: "  before-restore: { sources: [kasir] }\n  auto: { sources: [kasir] }")
        XCTAssertEqual(found, ["cadang.yaml:8:3: the job name 'before-restore' is reserved for the sets a restore saves first; rename the job"])
    }
}
