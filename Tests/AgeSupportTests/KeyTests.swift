import AgeSupport
import Foundation
import XCTest

/// Recipient / identity strings, Bech32 strictness, identity files, error hygiene.
final class KeyTests: XCTestCase {
    let vectorIdentity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"

    func testIdentityRoundTripAndRecipient() throws {
        let identity = try AgeIdentity(vectorIdentity)
        XCTAssertEqual(identity.description, vectorIdentity)
        let recipient = identity.recipient
        XCTAssertTrue(recipient.description.hasPrefix("age1"))
        XCTAssertEqual(try AgeRecipient(recipient.description).description, recipient.description)
        let generated = AgeIdentity.generate()
        XCTAssertEqual(try AgeIdentity(generated.description).recipient, generated.recipient)
        XCTAssertNotEqual(AgeIdentity.generate().recipient, generated.recipient)
    }

    func testRejectsBadStrings() {
        let recipient = AgeIdentity.generate().recipient.description
        var badChecksum = Array(recipient)
        badChecksum[badChecksum.count - 1] = badChecksum.last == "q" ? "p" : "q"
        for bad in [String(badChecksum), recipient.uppercased(), "age1", "", "age1qqqq",
                    vectorIdentity, recipient.replacingOccurrences(of: "age1", with: "agf1")] {
            XCTAssertThrowsError(try AgeRecipient(bad), bad) { XCTAssertTrue(Self.isBadRecipient($0)) }
        }
        let mixed = "AGE-SECRET-KEY-1egtzvffv20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"
        for bad in [vectorIdentity.lowercased(), mixed, recipient, String(vectorIdentity.dropLast())] {
            XCTAssertThrowsError(try AgeIdentity(bad)) { error in
                guard case AgeError.badIdentity = error else { return XCTFail("\(error)") }
                // Never echo secrets back.
                XCTAssertFalse("\(error)".contains("EGTZVFFV"), "\(error)")
                XCTAssertFalse("\(error)".lowercased().contains("egtzvffv"), "\(error)")
            }
        }
    }

    static func isBadRecipient(_ error: any Error) -> Bool {
        if case AgeError.badRecipient = error { return true }
        return false
    }

    func testPlainIdentityFile() throws {
        let a = AgeIdentity.generate(), b = AgeIdentity.generate()
        let text = "# created: now\r\n# public key: \(a.recipient)\n\n\(a)\r\n\(b)\n"
        let parsed = try AgeIdentityFile.parse(Array(text.utf8), passphrase: { throw TestFailure("not asked") })
        XCTAssertEqual(parsed.map(\.description), [a.description, b.description])
        XCTAssertThrowsError(try AgeIdentityFile.parse(Array("# only a comment\n".utf8), passphrase: { "" }))
        XCTAssertThrowsError(try AgeIdentityFile.parse(Array("\(a)\n\(b)x\n".utf8), passphrase: { "" })) { error in
            XCTAssertFalse("\(error)".contains(b.description.dropFirst(20).prefix(20)))
            XCTAssertTrue("\(error)".contains("line 2"), "\(error)")
        }
    }

    func testSealedIdentityFileRoundTrip() throws {
        let a = AgeIdentity.generate()
        let sealed = try AgeIdentityFile.seal([a], comment: ["public key: \(a.recipient)"], passphrase: "correct horse",
                                              workFactor: 10)
        XCTAssertTrue(sealed.starts(with: Array("age-encryption.org/v1\n-> scrypt ".utf8)))
        var asked = 0
        let parsed = try AgeIdentityFile.parse(sealed, passphrase: { asked += 1; return "correct horse" })
        XCTAssertEqual(asked, 1)
        XCTAssertEqual(parsed.map(\.description), [a.description])
        XCTAssertThrowsError(try AgeIdentityFile.parse(sealed, passphrase: { "wrong" })) {
            XCTAssertEqual($0 as? AgeError, .wrongPassphrase)
        }
        XCTAssertThrowsError(try AgeIdentityFile.parse(sealed, passphrase: { throw TestFailure("cancelled") })) {
            XCTAssertTrue($0 is TestFailure)
        }
    }

    func testWorkFactorCap() throws {
        var out = [UInt8]()
        let encryptor = try AgeEncryptor(passphrase: "pw", workFactor: 12) { out.append(contentsOf: $0) }
        try encryptor.finish()
        let decryptor = AgeDecryptor(identities: [], passphrase: { XCTFail("asked despite cap"); return "pw" },
                                     maxWorkFactor: 11)
        XCTAssertThrowsError(try out.withUnsafeBytes { try decryptor.write($0, plaintext: { _ in }) }) {
            XCTAssertEqual($0 as? AgeError, .workFactorTooHigh(12, max: 11))
        }
        XCTAssertEqual(try TestSupport.decrypt(out, identities: [], passphrase: "pw"), [])
    }

    func testErrorDescriptionsAreOneLine() {
        let all: [AgeError] = [.headerFailure("x"), .hmacFailure, .noMatchingIdentity, .wrongPassphrase,
                               .payloadFailure("x"), .truncated, .trailingData, .workFactorTooHigh(23, max: 22),
                               .badRecipient("x"), .badIdentity("x"), .unsupported("x"), .io("x"), .usage("x")]
        for e in all {
            XCTAssertFalse(e.description.contains("\n"))
            XCTAssertTrue(e.description.hasPrefix("age: "))
        }
    }
}
