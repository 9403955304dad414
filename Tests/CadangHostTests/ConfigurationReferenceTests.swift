@testable import CadangHost
import CadangPlugins
import Foundation
import XCTest

final class ConfigurationReferenceTests: XCTestCase {
    /// Docs/configuration.md is generated; this fails when a plugin's declaration changed and the
    /// page was not regenerated with `cadang plugins --markdown > Docs/configuration.md`.
    func testCommittedReferenceMatchesTheDeclarations() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("Docs/configuration.md"), encoding: .utf8)
        XCTAssertEqual(committed, ConfigurationReference.markdown(for: .builtIn),
                       "run: swift run cadang plugins --markdown > Docs/configuration.md")
    }

    func testEveryOptionOfEveryPluginIsDocumented() {
        let page = ConfigurationReference.markdown(for: .builtIn)
        for plugin in PluginRegistry.builtIn.plugins {
            XCTAssertTrue(page.contains("### `\(plugin.descriptor.name)`"))
            for option in plugin.descriptor.options {
                XCTAssertTrue(page.contains("| `\(option.name)` |"), "\(plugin.descriptor.name).\(option.name)")
                XCTAssertFalse(option.doc.isEmpty)
            }
        }
    }
}
