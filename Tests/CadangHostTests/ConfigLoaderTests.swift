import CadangCore
@testable import CadangHost
import CadangPlugins
import Foundation
import XCTest

final class ConfigLoaderTests: XCTestCase {
    let registry = PluginRegistry.builtIn.adding([.source(TestSource.self)])
    let base = URL(fileURLWithPath: "/srv/shop/cadang.yaml")

    private func diagnostics(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigLoader(registry: registry, environment: environment).parse(yaml, file: "cadang.yaml", url: base)
            XCTFail("expected a config error for:\n\(yaml)")
            return []
        } catch let error as ConfigError {
            return error.diagnostics.map(\.description)
        } catch {
            XCTFail("unexpected error \(error)")
            return []
        }
    }

    private func load(_ yaml: String, environment: [String: String] = [:]) throws -> Config {
        try ConfigLoader(registry: registry, environment: environment).parse(yaml, file: "cadang.yaml", url: base)
    }

    private let good = """
        repository: /media/usb/backups
        sources:
          shop: { plugin: test, database: instance/kasir.db }
        sinks:
          excel: { plugin: csv, excel: true }
          json: { plugin: json, format: lines }
        jobs:
          auto: { sources: [shop], sinks: [excel, json] }
          produk: { sources: [shop.produk], sinks: [excel] }

        """

    func testValidConfigLoadsWithDefaultsAndResolvedPaths() throws {
        let config = try load(good)
        XCTAssertEqual(config.repository.path, "/media/usb/backups")
        XCTAssertEqual(config.jobs.map(\.name), ["auto", "produk"])
        XCTAssertEqual(config.job(named: "produk")?.sources, [Config.SourceReference(source: "shop", dataset: "produk")])
        let shop = try XCTUnwrap(config.component(.source, "shop"))
        XCTAssertEqual(shop.options.integer("count"), 3)
        XCTAssertEqual(shop.options.string("mode"), "safe")
        XCTAssertEqual(shop.options.duration("timeout"), 5)
        XCTAssertEqual(config.component(.sink, "excel")?.options.bool("excel"), true)
        let configuration = PluginConfiguration(name: "shop", options: shop.options, baseDirectory: config.baseDirectory)
        XCTAssertEqual(configuration.path("database")?.path, "/srv/shop/instance/kasir.db")
    }

    func testRepositoryDefaultsToBackupsBesideTheConfig() throws {
        let config = try load("sources:\n  shop: { plugin: test, database: x.db }\njobs:\n  auto: { sources: [shop] }\n")
        XCTAssertEqual(config.repository.path, "/srv/shop/backups")
    }

    func testEveryOptionTypeConverts() throws {
        let config = try load("""
            sources:
              shop:
                plugin: test
                database: x.db
                count: -1
                ratio: 0.5
                strict: true
                timeout: 1h30m
                mode: fast
                tables: [produk, transaksi]
                keys: { transaksi: kode_transaksi }
            jobs:
              auto: { sources: [shop] }
            """)
        let options = try XCTUnwrap(config.component(.source, "shop")).options
        XCTAssertEqual(options.integer("count"), -1)
        XCTAssertEqual(options.number("ratio"), 0.5)
        XCTAssertEqual(options.bool("strict"), true)
        XCTAssertEqual(options.duration("timeout"), 5400)
        XCTAssertEqual(options.string("mode"), "fast")
        XCTAssertEqual(options.list("tables"), ["produk", "transaksi"])
        XCTAssertEqual(options.map("keys"), ["transaksi": "kode_transaksi"])
    }

    func testEnvironmentExpansion() throws {
        let config = try load("""
            sources:
              shop: { plugin: test, database: "${SHOP_DIR}/kasir$$.db", password: "${PGPASSWORD}" }
            jobs:
              auto: { sources: [shop] }
            """, environment: ["SHOP_DIR": "/data", "PGPASSWORD": "rahasia"])
        let options = try XCTUnwrap(config.component(.source, "shop")).options
        XCTAssertEqual(options.string("database"), "/data/kasir$.db")
        XCTAssertEqual(options.string("password"), "rahasia")
    }

    // MARK: Broken configs: each problem at its exact line and column.

    func testSyntaxError() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: test, database: [x }\n"),
                       ["cadang.yaml:2:38: YAML syntax error: did not find expected ',' or ']'; check the indentation and the ':' after each key on this or the previous line"])
    }

    // An unclosed quote or bracket is told where it opens, not where libyaml gave up (the end of the file).

    func testUnterminatedDoubleQuoteIsReportedAtTheOpeningQuote() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: test, database: \"x.db }\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:2:35: YAML syntax error: a quoted value that is never closed: the \" opened here has no closing \"; "
                        + "add the closing \" (a \" inside the value is written \\\")"])
    }

    func testUnterminatedSingleQuoteIsReportedAtTheOpeningQuote() {
        XCTAssertEqual(diagnostics("sources:\n  shop:\n    plugin: test\n    database: 'x.db\n    mode: safe\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:4:15: YAML syntax error: a quoted value that is never closed: the ' opened here has no closing '; "
                        + "add the closing ' (a ' inside the value is written '')"])
    }

    func testUnclosedBraceIsReportedAtTheBrace() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: test, database: x.db\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:2:9: YAML syntax error: a mapping that is never closed: the { opened here has no closing }; "
                        + "add the } after its last entry, with ',' between entries"])
    }

    func testUnclosedBracketAtTheEndOfTheFileIsReportedAtTheBracket() {
        XCTAssertEqual(diagnostics("jobs:\n  auto: { sources: [shop] }\nsources:\n  shop: { plugin: test, database: [x.db\n\n"),
                       ["cadang.yaml:4:35: YAML syntax error: a list that is never closed: the [ opened here has no closing ]; "
                        + "add the ] after its last item, with ',' between items"])
    }

    /// Inside a closed `{ }` spread over lines, a missing ',' stays where libyaml finds it.
    func testMissingCommaInsideAClosedMappingIsReportedWhereFound() {
        let lines = diagnostics("sources:\n  shop: {\n    plugin: test\n    database: x.db\n  }\njobs:\n  auto: { sources: [shop] }\n")
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines.first?.hasPrefix("cadang.yaml:4:13: YAML syntax error: did not find expected ',' or '}'") == true, "\(lines)")
    }

    func testTabIndentation() {
        XCTAssertEqual(diagnostics("sources:\n\tshop: { plugin: test }\n"),
                       ["cadang.yaml:2:1: YAML syntax error: a tab character is used for indentation; indent with spaces only"])
    }

    func testUnknownTopLevelKey() {
        XCTAssertEqual(diagnostics("repositori: /x\nsources:\n  shop: { plugin: test, database: x }\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:1:1: unknown key 'repositori' in the config; did you mean 'repository'?"])
    }

    func testUnknownOption() {
        XCTAssertEqual(diagnostics("sources:\n  shop:\n    plugin: test\n    databse: x.db\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:2:3: source 'shop' (test) needs the option 'database'; The database file.",
                        "cadang.yaml:4:5: unknown option 'databse' for source 'shop' (test); did you mean 'database'?"])
    }

    func testWrongTypes() {
        XCTAssertEqual(diagnostics("""
            sources:
              shop:
                plugin: test
                database: x
                count: banyak
                strict: yes
                timeout: sebentar
                mode: turbo
                tables: produk
            jobs:
              auto: { sources: [shop] }
            """), [
                "cadang.yaml:5:12: option 'count' of source 'shop' must be a whole number, not 'banyak'; How many.",
                "cadang.yaml:6:13: option 'strict' of source 'shop' must be true or false, not 'yes'; Be strict.",
                "cadang.yaml:7:14: option 'timeout' of source 'shop' must be a duration such as 30s, 5m, 2h or 7d, not 'sebentar'; How long to wait.",
                "cadang.yaml:8:11: option 'mode' of source 'shop' must be one of fast, safe, not 'turbo'; How to read.",
                "cadang.yaml:9:13: option 'tables' of source 'shop' must be a list like [a, b], not the value 'produk'",
            ])
    }

    func testUnknownPlugin() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: tset, database: x }\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:2:19: unknown source plugin 'tset'; did you mean 'test'?"])
    }

    func testPluginOfTheWrongKind() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: csv }\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:2:19: 'csv' is a sink plugin and cannot be used as a source; declare it under 'sinks:'"])
    }

    func testMissingPluginKey() {
        XCTAssertEqual(diagnostics("sources:\n  shop:\n    database: x\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:2:3: source 'shop' has no 'plugin:' key; name one of: kasir-sqlite, pos-orders, test"])
    }

    func testJobNamingMissingComponents() {
        XCTAssertEqual(diagnostics("""
            sources:
              shop: { plugin: test, database: x }
            sinks:
              excel: { plugin: csv }
            jobs:
              auto:
                sources: [shop, kasir.produk]
                sinks: [exel]
                policies: [harian]
            """), [
                "cadang.yaml:7:21: job 'auto' uses source 'kasir', which is not defined under 'sources:'; defined: shop",
                "cadang.yaml:8:13: job 'auto' uses sink 'exel', which is not defined under 'sinks:'; did you mean 'excel'?",
                "cadang.yaml:9:16: job 'auto' uses policy 'harian', which is not defined under 'policies:'; define it under 'policies:'",
            ])
    }

    func testJobWithoutSources() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: test, database: x }\njobs:\n  auto: { sinks: [] }\n"),
                       ["cadang.yaml:4:3: job 'auto' has no sources; add 'sources: [name]' naming an entry of 'sources:'"])
    }

    func testDuplicateKeys() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: test, database: x }\n  shop: { plugin: test, database: y }\njobs:\n  auto: { sources: [shop], sources: [shop] }\n"),
                       ["cadang.yaml:3:3: duplicate key 'shop' in 'sources' (first at line 2); remove one of them",
                        "cadang.yaml:5:28: duplicate key 'sources' in job 'auto' (first at line 5); remove one of them"])
    }

    func testEmptyConfig() {
        XCTAssertEqual(diagnostics(""), ["cadang.yaml:1:1: the config is empty; it needs at least 'sources:' and 'jobs:' (see Docs/configuration.md)"])
        XCTAssertEqual(diagnostics("# only a comment\n"), ["cadang.yaml:1:1: the config is empty; it needs at least 'sources:' and 'jobs:' (see Docs/configuration.md)"])
    }

    func testNoJobs() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: test, database: x }\n"),
                       ["cadang.yaml:1:1: the config defines no jobs; add a 'jobs:' section, e.g. 'auto: { sources: [kasir] }'"])
    }

    func testUnsetEnvironmentVariable() {
        XCTAssertEqual(diagnostics("sources:\n  shop: { plugin: test, database: \"${KASIR_DB}\" }\njobs:\n  auto: { sources: [shop] }\n"),
                       ["cadang.yaml:2:35: environment variable 'KASIR_DB' is not set; export KASIR_DB=… before running cadang"])
    }

    func testSecretValuesNeverAppearInMessages() {
        let found = diagnostics("sources:\n  shop: { plugin: test, database: x, pin: \"${SECRET_PIN}\" }\njobs:\n  auto: { sources: [shop] }\n",
                                environment: ["SECRET_PIN": "rahasia-123"])
        XCTAssertEqual(found, ["cadang.yaml:2:43: option 'pin' of source 'shop' must be a whole number, not the given value; A secret number."])
    }

    func testTopLevelNotAMapping() {
        XCTAssertEqual(diagnostics("- a\n- b\n"), ["cadang.yaml:1:1: the config must be a mapping of 'key: value' lines, not a list"])
    }

    func testAllProblemsReportedAtOnceInFileOrder() {
        let found = diagnostics("""
            jobs:
              auto: { sources: [nope] }
            sources:
              a: { plugin: nope }
              b: { plugin: test }
            """)
        XCTAssertEqual(found.count, 3)
        XCTAssertEqual(found.map { $0.split(separator: ":").prefix(3).joined(separator: ":") },
                       ["cadang.yaml:2:21", "cadang.yaml:4:16", "cadang.yaml:5:3"])
    }

    func testMissingFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID()).yaml").path
        XCTAssertThrowsError(try ConfigLoader(registry: registry).load(path: path)) { error in
            XCTAssertEqual((error as? ConfigError)?.diagnostics.map(\.description),
                           ["\(path):1:1: config file not found; create it (see Docs/configuration.md), run from the folder that holds it, or pass --config FILE"])
        }
    }
}
