import Foundation
import XCTest

/// DESIGN.md §2's rules, read off the source tree: the host imports no plugin and names none; a
/// plugin imports no other plugin; the executable holds no logic.
final class ArchitectureTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        let paths = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        return try paths.map { ("\(folder)/\($0)", try String(contentsOf: base.appendingPathComponent($0), encoding: .utf8)) }
    }

    private var plugins: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Plugins").path))?.sorted() ?? []
    }

    private func imports(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { return nil }
            return String(words[index + 1])
        })
    }

    func testTheHostTheServerAndTheCLIImportNoPlugin() throws {
        XCTAssertFalse(plugins.isEmpty)
        for folder in ["Sources/CadangHost", "Sources/CadangCLI", "Sources/CadangCore", "Sources/CadangServe"] {
            for file in try swiftFiles(under: folder) {
                XCTAssertTrue(imports(file.text).isDisjoint(with: plugins), "\(file.path) imports a plugin")
            }
        }
    }

    func testTheHostAndTheServerNameNoPluginInTheirCode() throws {
        let names = ["kasir-sqlite", "csv", "json", "targz", "rclone", "retention", "duplicate", "sqlite", "pos-orders"]
        for file in try swiftFiles(under: "Sources/CadangHost") + swiftFiles(under: "Sources/CadangServe") {
            for name in names {
                XCTAssertFalse(file.text.contains("\"\(name)\""), "\(file.path) holds the plugin name or format \"\(name)\"")
            }
        }
    }

    func testAPluginImportsNoOtherPlugin() throws {
        for plugin in plugins {
            for file in try swiftFiles(under: "Plugins/\(plugin)") {
                let others = imports(file.text).intersection(plugins).subtracting([plugin])
                XCTAssertTrue(others.isEmpty, "\(file.path) imports \(others.sorted())")
            }
        }
    }

    func testTheExecutableIsOneCall() throws {
        let main = try String(contentsOf: root.appendingPathComponent("Sources/cadang/main.swift"), encoding: .utf8)
        let code = main.split(separator: "\n").filter { !$0.hasPrefix("import") && !$0.hasPrefix("//") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(code, ["CadangCommand.main(registry: .builtIn)"])
    }
}
