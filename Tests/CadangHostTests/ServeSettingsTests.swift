import CadangCore
@testable import CadangHost
import CadangPlugins
import Foundation
import XCTest

/// The `serve:` section: read with the rest of the config, but its problems (an unset token
/// variable above all) stop only `cadang serve`; `config check` reports them.
final class ServeSettingsTests: XCTestCase {
    let registry = PluginRegistry.builtIn.adding([.source(TestSource.self)])
    let base = URL(fileURLWithPath: "/srv/shop/cadang.yaml")

    private func load(_ serve: String, environment: [String: String] = [:]) throws -> Config {
        let yaml = """
            sources:
              shop: { plugin: test, database: kasir.db }
            jobs:
              auto: { sources: [shop] }
            serve:
            \(serve)
            """
        return try ConfigLoader(registry: registry, environment: environment).parse(yaml, file: "cadang.yaml", url: base)
    }

    func testTheSectionAsDesignedWithTokensFromTheEnvironment() throws {
        let config = try load("""
              listen: 0.0.0.0:9000
              tokens: { ingest: "${CADANG_INGEST_TOKEN}", manager: "${CADANG_MANAGER_TOKEN}" }
              max_body_bytes: 1048576
            """, environment: ["CADANG_INGEST_TOKEN": String(repeating: "i", count: 32), "CADANG_MANAGER_TOKEN": String(repeating: "m", count: 32)])
        XCTAssertEqual(config.serveProblems, [])
        XCTAssertEqual(config.serve, ServeSettings(host: "0.0.0.0", port: 9000, ingestToken: String(repeating: "i", count: 32),
                                                   managerToken: String(repeating: "m", count: 32), maxBodyBytes: 1 << 20))
    }

    func testAnUnsetTokenStopsOnlyServe() throws {
        let config = try load("""
              tokens: { manager: "${CADANG_MANAGER_TOKEN}" }
            """)
        XCTAssertEqual(config.jobs.map(\.name), ["auto"], "the rest of the config loads")
        XCTAssertEqual(config.serveProblems.map(\.description),
                       ["cadang.yaml:6:22: environment variable 'CADANG_MANAGER_TOKEN' is not set; export CADANG_MANAGER_TOKEN=… before running cadang"])
        XCTAssertEqual(config.problems.count, 1, "config check reports it")
        XCTAssertEqual(config.serve?.managerToken, nil)
    }

    func testBadValuesAreNamedWithTheirPlace() throws {
        let config = try load("""
              listen: localhost
              max_body_bytes: 12
              tokens: { ingest: short, manager: short, admin: x }
              colour: blue
            """)
        let messages = config.serveProblems.map(\.message)
        XCTAssertTrue(messages.contains("serve.listen must be HOST:PORT, not 'localhost'"), "\(messages)")
        XCTAssertTrue(messages.contains("serve.max_body_bytes must be a whole number from 1024 to 1073741824, not '12'"), "\(messages)")
        XCTAssertTrue(messages.contains("serve.tokens.ingest is shorter than 16 characters"), "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("admin") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("colour") }, "\(messages)")
    }

    func testAddresses() {
        XCTAssertEqual(ServeSettings.address("127.0.0.1:8765")?.port, 8765)
        XCTAssertEqual(ServeSettings.address("[::1]:80")?.host, "::1")
        XCTAssertNil(ServeSettings.address(":80"))
        XCTAssertNil(ServeSettings.address("host:70000"))
    }
}
