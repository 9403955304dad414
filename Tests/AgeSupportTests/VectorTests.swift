import AgeSupport
import Foundation
import XCTest

/// Runs every C2SP CCTV age test vector.
final class VectorTests: XCTestCase {
    struct Vector {
        var name: String
        var expect = ""
        var payloadHash: String?
        var identities: [String] = []
        var passphrases: [String] = []
        var armored = false
        var compressed = false
        var file: [UInt8] = []
    }

    static func load(_ url: URL) throws -> Vector {
        let bytes = Array(try Data(contentsOf: url))
        var v = Vector(name: url.lastPathComponent)
        guard let split = (0..<(bytes.count - 1)).first(where: { bytes[$0] == 10 && bytes[$0 + 1] == 10 }) else {
            throw TestFailure("\(v.name): no blank line after the vector header")
        }
        for line in String(decoding: bytes[..<split], as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "expect": v.expect = value
            case "payload": v.payloadHash = value
            case "identity": v.identities.append(value)
            case "passphrase": v.passphrases.append(value)
            case "armored": v.armored = value == "yes"
            case "compressed": v.compressed = value == "zlib"
            default: break
            }
        }
        v.file = Array(bytes[(split + 2)...])
        if v.compressed { v.file = try TestSupport.inflate(v.file) }
        return v
    }

    func testAllVectors() throws {
        let dir = TestSupport.vectorsDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "LICENSE" }.sorted()
        XCTAssertEqual(names.count, 143, "vector count changed")
        var passed = 0
        var outcomes: [String: Int] = [:]
        var skipped: [String: [String]] = [:]
        for name in names {
            let v = try Self.load(dir.appendingPathComponent(name))
            if v.armored { skipped["armor", default: []].append(name); continue }
            if v.identities.contains(where: { $0.hasPrefix("AGE-SECRET-KEY-PQ-") }) {
                skipped["hybrid (ML-KEM)", default: []].append(name); continue
            }
            let identities = try v.identities.map { try AgeIdentity($0) }
            // Whole file at once, and in small pieces to exercise incremental header parsing.
            let piece = v.file.count < 20_000 ? 1 : 4093
            for pieceSize in [1 << 24, piece] {
                do {
                    let plaintext = try TestSupport.decrypt(v.file, identities: identities,
                                                            passphrase: v.passphrases.first, piece: pieceSize)
                    XCTAssertEqual(v.expect, "success", "\(name) (pieces of \(pieceSize)): decrypted but expected \(v.expect)")
                    XCTAssertEqual(TestSupport.sha256Hex(plaintext), v.payloadHash, "\(name): payload hash")
                } catch {
                    XCTAssertEqual(TestSupport.vectorClass(of: error), v.expect,
                                   "\(name) (pieces of \(pieceSize)): \(error)")
                }
            }
            passed += 1
            outcomes[v.expect, default: 0] += 1
        }
        let skippedCount = skipped.values.map(\.count).reduce(0, +)
        print("age vectors: \(passed) run, \(skippedCount) skipped: "
              + skipped.keys.sorted().map { "\($0) \(skipped[$0]?.count ?? 0)" }.joined(separator: ", "))
        print("age vectors by expected outcome: \(outcomes.sorted { $0.key < $1.key })")
        XCTAssertEqual(outcomes, ["success": 15, "header failure": 51, "HMAC failure": 1, "no match": 7,
                                  "payload failure": 18])
        // A change in what is skipped must show up here.
        XCTAssertEqual(passed, 92)
        XCTAssertEqual(skipped["armor"]?.count, 33)
        XCTAssertEqual(skipped["hybrid (ML-KEM)"]?.count, 18)
        XCTAssertEqual(Set(skipped["armor"] ?? []).allSatisfy { $0.hasPrefix("armor_") }, true)
        XCTAssertEqual(Set(skipped["hybrid (ML-KEM)"] ?? []).allSatisfy { $0.hasPrefix("hybrid") }, true)
        XCTAssertEqual(Set(skipped.values.joined().map { $0.hasPrefix("armor_") ? "armor_" : String($0.prefix(6)) }),
                       ["armor_", "hybrid"])
    }
}
