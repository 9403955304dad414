import Foundation
import XCTest

/// Encrypted archives (ops §3) through the shipped binary, checked with stock `age` 1.1.1,
/// `age-keygen`, zstd, GNU tar and sha256sum: the `targz` sink's `encrypt:`, `cadang key
/// generate|check`, the 90-day warning, and `verify --archive` / `restore --from-archive` with
/// `--identity`.
final class EncryptionTests: XCTestCase {
    private var workspaces: [Workspace] = []
    private static let passphrase = "kopi susu gula aren 2026"
    /// The key file's passphrase, as a script gives it.
    private static let keyEnvironment = ["CADANG_KEY_PASSPHRASE": passphrase]

    override func tearDown() {
        workspaces = []
    }

    /// A kasir shop with its database, a passphrase-protected key made by `cadang key generate`
    /// (`key.age`), a plain second key made by age-keygen (`trusted.txt`, the trusted person's),
    /// and a config whose `usb` sink encrypts to both.
    private func makeShop(compression: String = "zstd", extraSinkOptions: String = "") throws -> (Workspace, owner: String, trusted: String) {
        let workspace = try Workspace()
        workspaces.append(workspace)
        try KasirTests.makeDatabase(at: database(workspace), products: 40, transactions: 300)
        try FileManager.default.createDirectory(at: workspace.url.appendingPathComponent("usb"), withIntermediateDirectories: true)
        let generate = try CLI.cadang.run(["key", "generate", "--out", "key.age", "--json"], in: workspace.url, environment: Self.keyEnvironment)
        XCTAssertEqual(generate.status, 0, generate.stderr)
        let generated = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(generate.stdout.utf8)) as? [String: Any])
        let owner = try XCTUnwrap(generated["recipient"] as? String)
        let keygen = try ArchiveTests.tool(["age-keygen", "-o", "trusted.txt"], in: workspace.url)
        XCTAssertEqual(keygen.status, 0, keygen.stderr)
        let trusted = try XCTUnwrap(keygen.stderr.components(separatedBy: "Public key: ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        try configure(workspace, usb: "{ plugin: targz, path: ./usb/arsip, compression: \(compression)\(extraSinkOptions), encrypt: { recipients: [\(owner), \(trusted)] } }")
        return (workspace, owner, trusted)
    }

    private func configure(_ workspace: Workspace, usb: String) throws {
        try workspace.write("cadang.yaml", """
            repository: ./backups
            sources:
              kasir: { plugin: kasir-sqlite, database: instance/kasir.db, busy_timeout: 2s }
            sinks:
              json: { plugin: json }
              usb: \(usb)
            jobs:
              auto: { sources: [kasir], sinks: [json, usb] }

            """)
    }

    private func database(_ workspace: Workspace) -> URL {
        workspace.url.appendingPathComponent("instance/kasir.db")
    }

    private func archives(_ workspace: Workspace) -> [URL] {
        let folder = workspace.url.appendingPathComponent("usb/arsip")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            .filter { !$0.hasSuffix(".sha256") }.map { folder.appendingPathComponent($0) }
    }

    /// An artifact's path inside its set (`list --json` gives it in full).
    private func relative(_ artifact: ListedSet.Artifact, of set: ListedSet) -> String {
        artifact.path.components(separatedBy: "/sets/\(set.id)/").last ?? artifact.path
    }

    private func names(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    private static func answerPassphrase(_ arguments: [String], in directory: URL) throws -> ArchiveTests.Output {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Terminal/answer_passphrase.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["AGE_TEST_PASSPHRASE=\(passphrase)", "python3", script] + arguments
        process.currentDirectoryURL = directory
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return ArchiveTests.Output(status: process.terminationStatus, stdout: "", stderr: text)
    }

    // MARK: Writing, and reading with stock age

    /// The archive is `….tar.zst.age`, 0600, with its ciphertext's SHA-256 beside it; stock age
    /// opens it with either key (the generated, passphrase-protected one through a terminal), and
    /// what it gives is a zstd tar holding exactly the set's files with their SHA-256.
    func testTheEncryptedArchiveOpensWithStockAgeAndEitherKey() throws {
        let (workspace, _, _) = try makeShop()
        let run = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let archive = try XCTUnwrap(archives(workspace).first)
        XCTAssertEqual(archive.lastPathComponent, "auto-\(set.id).tar.zst.age")
        XCTAssertEqual(try Independent.mode(archive.path), 0o600)
        let check = try ArchiveTests.tool(["sha256sum", "-c", archive.lastPathComponent + ".sha256"], in: archive.deletingLastPathComponent())
        XCTAssertEqual(check.status, 0, "the .sha256 is the ciphertext's: \(check.stdout) \(check.stderr)")
        let start = try String(decoding: FileHandle(forReadingFrom: archive).read(upToCount: 22) ?? Data(), as: UTF8.self)
        XCTAssertEqual(start, "age-encryption.org/v1\n")

        // The trusted person's plain age-keygen key.
        let plain = workspace.url.appendingPathComponent("plain.tar.zst")
        let decrypt = try ArchiveTests.tool(["age", "-d", "-i", "trusted.txt", "-o", plain.path, archive.path], in: workspace.url)
        XCTAssertEqual(decrypt.status, 0, decrypt.stderr)
        XCTAssertEqual(try ArchiveTests.tool(["zstd", "-t", "-q", plain.path]).status, 0)
        let listing = try ArchiveTests.tool(["tar", "--zstd", "-tf", plain.path])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        XCTAssertEqual(Set(listing.stdout.split(separator: "\n").map(String.init)),
                       Set(["\(set.id)/manifest.json"] + set.artifacts.map { "\(set.id)/\(relative($0, of: set))" }))
        let unpacked = workspace.url.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        XCTAssertEqual(try ArchiveTests.tool(["tar", "--zstd", "-xf", plain.path, "-C", unpacked.path]).status, 0)
        for artifact in set.artifacts {
            XCTAssertEqual(try Independent.sha256(unpacked.appendingPathComponent("\(set.id)/\(relative(artifact, of: set))").path), artifact.sha256)
        }

        // The owner's key file from `cadang key generate`: age asks its passphrase on the terminal.
        let again = workspace.url.appendingPathComponent("again.tar.zst")
        let owner = try Self.answerPassphrase(["age", "-d", "-i", "key.age", "-o", again.path, archive.path], in: workspace.url)
        XCTAssertEqual(owner.status, 0, owner.stderr)
        XCTAssertEqual(try Independent.sha256(again.path), try Independent.sha256(plain.path))
    }

    /// gzip gives `….tar.gz.age`; `verify --archive` opens it with the key, and keep_last prunes
    /// encrypted archives (and their .sha256) like plain ones.
    func testGzipEncryptedArchivesVerifyAndArePruned() throws {
        let (workspace, _, _) = try makeShop(compression: "gzip", extraSinkOptions: ", keep_last: 1")
        for _ in 0..<2 {
            let run = try CLI.cadang.run(["run", "--force"], in: workspace.url)
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let sets = try workspace.listedSets(.cadang)
        XCTAssertEqual(sets.count, 2)
        let newest = try XCTUnwrap(sets.max { $0.id < $1.id })
        XCTAssertEqual(names(workspace.url.appendingPathComponent("usb/arsip")),
                       ["auto-\(newest.id).tar.gz.age", "auto-\(newest.id).tar.gz.age.sha256"])
        let archive = try XCTUnwrap(archives(workspace).first)
        let verify = try CLI.cadang.run(["verify", "--archive", archive.path, "--identity", "trusted.txt", "--json"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["encrypted"] as? Bool, true)
        XCTAssertEqual(report["contentsChecked"] as? Bool, true)
        XCTAssertEqual(report["sha256File"] as? Bool, true)
        XCTAssertEqual(report["id"] as? String, newest.id)
        let list = try CLI.cadang.run(["list", "--json"], in: workspace.url)
        XCTAssertTrue(list.stdout.contains("auto-\(newest.id).tar.gz.age"), "list shows the encrypted copy: \(list.stdout)")
    }

    /// An archive encrypted by stock `age -r` (of a plain Cadang archive) is read by Cadang.
    func testAnArchiveEncryptedByStockAgeIsReadByCadang() throws {
        let (workspace, _, trusted) = try makeShop()
        try configure(workspace, usb: "{ plugin: targz, path: ./usb/arsip, compression: zstd }")
        XCTAssertEqual(try CLI.cadang.run(["run"], in: workspace.url).status, 0)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let plain = try XCTUnwrap(archives(workspace).first)
        let encrypted = workspace.url.appendingPathComponent("by-age.tar.zst.age")
        let age = try ArchiveTests.tool(["age", "-r", trusted, "-o", encrypted.path, plain.path])
        XCTAssertEqual(age.status, 0, age.stderr)

        let verify = try CLI.cadang.run(["verify", "--archive", encrypted.path, "--identity", "trusted.txt"], in: workspace.url)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("set \(set.id)"), verify.stdout)
        let out = workspace.url.appendingPathComponent("out")
        let restore = try CLI.cadang.run(["restore", "--from-archive", encrypted.path, "--identity", "trusted.txt", "--to", out.path], in: workspace.url)
        XCTAssertEqual(restore.status, 0, restore.stdout + restore.stderr)
        for artifact in set.artifacts {
            XCTAssertEqual(try Independent.sha256(out.appendingPathComponent(relative(artifact, of: set)).path), artifact.sha256)
        }
    }

    // MARK: The disaster drill

    /// The computer dies: with only the drive and the key file (and its passphrase), the database
    /// comes back byte-identical.
    func testDisasterDrillRestoresTheDatabaseFromTheEncryptedArchiveAndTheKeyAlone() throws {
        let (workspace, _, _) = try makeShop()
        XCTAssertEqual(try CLI.cadang.run(["run"], in: workspace.url).status, 0)
        let set = try XCTUnwrap(try workspace.listedSets(.cadang).first)
        let snapshot = try XCTUnwrap(set.artifacts.first { $0.dataset == "database" })
        let archive = try XCTUnwrap(archives(workspace).first)

        try FileManager.default.removeItem(at: workspace.repository)
        var junk = Data(count: 100_000)
        for index in junk.indices { junk[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
        try junk.write(to: database(workspace))

        let withoutKey = try CLI.cadang.run(["restore", "--from-archive", archive.path, "--yes"], in: workspace.url)
        XCTAssertEqual(withoutKey.status, 2, withoutKey.stderr)
        XCTAssertTrue(withoutKey.stderr.contains("--identity"), withoutKey.stderr)
        XCTAssertEqual(try Data(contentsOf: database(workspace)), junk, "nothing restored without the key")

        let restore = try CLI.cadang.run(["restore", "--from-archive", archive.path, "--identity", "key.age", "--yes"],
                                         in: workspace.url, environment: Self.keyEnvironment)
        XCTAssertEqual(restore.status, 0, restore.stdout + restore.stderr)
        XCTAssertEqual(try Independent.sha256(database(workspace).path), snapshot.sha256, "byte-identical to the archived snapshot")
        let integrity = try ArchiveTests.tool(["sqlite3", database(workspace).path, "PRAGMA integrity_check"])
        XCTAssertEqual(integrity.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "ok", integrity.stderr)
        XCTAssertEqual(names(database(workspace).deletingLastPathComponent()), ["kasir.db"], "no staging folder left")
    }

    // MARK: Damage

    /// A flipped payload byte, a changed header, a truncated file and trailing bytes: exit 4,
    /// and nothing written — no file in the target folder, the database untouched, no staging
    /// folder left. Without the key, the .sha256 catches the flip; a wrong key is exit 1.
    func testTamperedAndTruncatedEncryptedArchivesExit4AndWriteNothing() throws {
        // compression: none, so the archive spans several 64 KiB chunks (and `.tar.age` is covered).
        let (workspace, _, _) = try makeShop(compression: "none")
        XCTAssertEqual(try CLI.cadang.run(["run"], in: workspace.url).status, 0)
        let archive = try XCTUnwrap(archives(workspace).first)
        XCTAssertTrue(archive.lastPathComponent.hasSuffix(".tar.age"), archive.path)
        let original = try Data(contentsOf: archive)
        let macLine = try XCTUnwrap(original.range(of: Data("\n--- ".utf8))).upperBound
        let headerEnd = try XCTUnwrap(original[macLine...].firstIndex(of: UInt8(ascii: "\n"))) + 1
        let payload = headerEnd + 16
        XCTAssertGreaterThan(original.count, payload + 3 * (65536 + 16), "several 64 KiB chunks")
        var flipped = original
        flipped[original.count / 2] ^= 0x01
        var mac = original
        mac[macLine + 3] = mac[macLine + 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        var lastChunk = original
        lastChunk[original.count - 3] ^= 0x80
        let cases: [(String, Data)] = [
            ("flipped", flipped), ("header-mac", mac), ("last-chunk", lastChunk),
            ("truncated-at-chunk", original.prefix(payload + 2 * (65536 + 16))),
            ("truncated", original.prefix(original.count - 100)), ("trailing", original + Data([0])),
        ]
        let before = try Data(contentsOf: database(workspace))
        for (label, bytes) in cases {
            let damaged = workspace.url.appendingPathComponent("\(label).tar.zst.age")
            try bytes.write(to: damaged)
            let verify = try CLI.cadang.run(["verify", "--archive", damaged.path, "--identity", "trusted.txt"], in: workspace.url)
            XCTAssertEqual(verify.status, 4, "\(label): \(verify.stdout) \(verify.stderr)")
            XCTAssertTrue(verify.stdout.contains("DAMAGED"), "\(label): \(verify.stdout)")

            let target = workspace.url.appendingPathComponent("restored-\(label)")
            let extract = try CLI.cadang.run(["restore", "--from-archive", damaged.path, "--identity", "trusted.txt", "--to", target.path],
                                             in: workspace.url)
            XCTAssertEqual(extract.status, 4, "\(label): \(extract.stderr)")
            XCTAssertEqual(names(target), [], "\(label): nothing written into the folder")

            let restore = try CLI.cadang.run(["restore", "--from-archive", damaged.path, "--identity", "trusted.txt", "--yes"], in: workspace.url)
            XCTAssertEqual(restore.status, 4, "\(label): \(restore.stderr)")
            XCTAssertEqual(try Data(contentsOf: database(workspace)), before, "\(label): the database is untouched")
            XCTAssertEqual(names(database(workspace).deletingLastPathComponent()), ["kasir.db"], "\(label): no staging folder left")
        }

        // Without the key: the ciphertext against its .sha256.
        try flipped.write(to: archive)
        let noKey = try CLI.cadang.run(["verify", "--archive", archive.path], in: workspace.url)
        XCTAssertEqual(noKey.status, 4, noKey.stdout + noKey.stderr)
        try original.write(to: archive)
        let fine = try CLI.cadang.run(["verify", "--archive", archive.path, "--json"], in: workspace.url)
        XCTAssertEqual(fine.status, 0, fine.stdout + fine.stderr)
        XCTAssertTrue(fine.stdout.contains("\"contentsChecked\" : false"), fine.stdout)
        let alone = workspace.url.appendingPathComponent("alone.tar.zst.age")
        try original.write(to: alone)
        let nothing = try CLI.cadang.run(["verify", "--archive", alone.path], in: workspace.url)
        XCTAssertEqual(nothing.status, 2, "no key and no .sha256: nothing to check: \(nothing.stderr)")

        // A key the archive was not encrypted to, and a wrong passphrase.
        XCTAssertEqual(try ArchiveTests.tool(["age-keygen", "-o", "stranger.txt"], in: workspace.url).status, 0)
        let stranger = try CLI.cadang.run(["verify", "--archive", archive.path, "--identity", "stranger.txt"], in: workspace.url)
        XCTAssertEqual(stranger.status, 1, stranger.stdout + stranger.stderr)
        XCTAssertTrue(stranger.stderr.contains("encrypted to other keys"), stranger.stderr)
        let wrong = try CLI.cadang.run(["verify", "--archive", archive.path, "--identity", "key.age"], in: workspace.url,
                                       environment: ["CADANG_KEY_PASSPHRASE": "not the passphrase"])
        XCTAssertEqual(wrong.status, 1, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("passphrase"), wrong.stderr)
    }

    // MARK: Keys

    /// `run` warns until `key check` proved each key opens the newest archive, and again once a
    /// proof is more than 90 days old; a key the sink does not encrypt to fails the check.
    func testKeyCheckRecordsTheProofAndRunWarnsWhenItIsMissingOrOld() throws {
        let (workspace, owner, trusted) = try makeShop()
        let noArchive = try CLI.cadang.run(["key", "check", "--identity", "trusted.txt"], in: workspace.url)
        XCTAssertEqual(noArchive.status, 1, noArchive.stderr)
        XCTAssertTrue(noArchive.stderr.contains("no encrypted archive"), noArchive.stderr)

        let first = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("warning") && first.stderr.contains("key check"), first.stderr)

        let check = try CLI.cadang.run(["key", "check", "--identity", "key.age", "--json"], in: workspace.url, environment: Self.keyEnvironment)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["recipients"] as? [String], [owner])
        XCTAssertEqual(try Independent.mode(workspace.repository.appendingPathComponent("key-checks.json").path), 0o600)
        let ownerOnly = try CLI.cadang.run(["run", "--force"], in: workspace.url)
        XCTAssertTrue(ownerOnly.stderr.contains(String(trusted.prefix(10))) && !ownerOnly.stderr.contains(String(owner.prefix(10))),
                      "only the unchecked key is named: \(ownerOnly.stderr)")

        XCTAssertEqual(try CLI.cadang.run(["key", "check", "--identity", "trusted.txt"], in: workspace.url).status, 0)
        let quiet = try CLI.cadang.run(["run", "--force"], in: workspace.url)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertFalse(quiet.stderr.contains("key check"), quiet.stderr)

        // 91 days later.
        let records = workspace.repository.appendingPathComponent("key-checks.json")
        let old = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-91 * 86_400))
        let text = try String(contentsOf: records, encoding: .utf8)
        let aged = text.replacingOccurrences(of: #""checked" : "[^"]+""#, with: "\"checked\" : \"\(old)\"", options: .regularExpression)
        XCTAssertNotEqual(aged, text)
        try aged.write(to: records, atomically: true, encoding: .utf8)
        let late = try CLI.cadang.run(["run", "--force"], in: workspace.url)
        XCTAssertEqual(late.status, 0, "a warning, not a failure: \(late.stderr)")
        XCTAssertTrue(late.stderr.contains("key check"), late.stderr)

        XCTAssertEqual(try ArchiveTests.tool(["age-keygen", "-o", "stranger.txt"], in: workspace.url).status, 0)
        let stranger = try CLI.cadang.run(["key", "check", "--identity", "stranger.txt"], in: workspace.url)
        XCTAssertEqual(stranger.status, 1, stranger.stderr)
        XCTAssertTrue(stranger.stderr.contains("not among the encrypt: recipients"), stranger.stderr)
    }

    /// `key generate`: the card (both languages, the config line), a 0600 file that is never
    /// replaced, and a passphrase long enough.
    func testKeyGenerateWritesAProtectedFileAndTheCardAndNeverReplacesAKey() throws {
        let workspace = try Workspace()
        workspaces.append(workspace)
        let generate = try CLI.cadang.run(["key", "generate", "--out", "k.age"], in: workspace.url, environment: Self.keyEnvironment)
        XCTAssertEqual(generate.status, 0, generate.stderr)
        for words in ["KARTU PEMULIHAN", "RECOVERY CARD", "cadang restore --from-archive", "--identity k.age",
                      "age -d -i k.age", "encrypt: { recipients: [age1"] {
            XCTAssertTrue(generate.stdout.contains(words), "the card says '\(words)': \(generate.stdout)")
        }
        let key = workspace.url.appendingPathComponent("k.age")
        XCTAssertEqual(try Independent.mode(key.path), 0o600)
        let bytes = try Data(contentsOf: key)
        XCTAssertTrue(bytes.starts(with: Data("age-encryption.org/v1\n-> scrypt ".utf8)), "a passphrase-protected age file")
        XCTAssertFalse(String(decoding: bytes, as: UTF8.self).contains("AGE-SECRET-KEY"), "the secret is not in the clear")

        let again = try CLI.cadang.run(["key", "generate", "--out", "k.age"], in: workspace.url, environment: Self.keyEnvironment)
        XCTAssertEqual(again.status, 2, again.stderr)
        XCTAssertEqual(try Data(contentsOf: key), bytes, "the existing key is untouched")
        let short = try CLI.cadang.run(["key", "generate", "--out", "short.age"], in: workspace.url, environment: ["CADANG_KEY_PASSPHRASE": "pendek"])
        XCTAssertEqual(short.status, 2, short.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("short.age").path))
        let noTerminal = try CLI.cadang.run(["key", "generate", "--out", "none.age"], in: workspace.url, unset: ["CADANG_KEY_PASSPHRASE"])
        XCTAssertEqual(noTerminal.status, 2, noTerminal.stderr)
        XCTAssertTrue(noTerminal.stderr.contains("CADANG_KEY_PASSPHRASE"), noTerminal.stderr)
    }

    /// Config mistakes are caught by `config check` with their position.
    func testBadRecipientsAreConfigErrorsWithTheirPosition() throws {
        let (workspace, _, _) = try makeShop()
        try configure(workspace, usb: "{ plugin: targz, path: ./usb/arsip, encrypt: { recipients: [age1notakey] } }")
        let bad = try CLI.cadang.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("cadang.yaml:6:") && bad.stderr.contains("not an age public key"), bad.stderr)
        try configure(workspace, usb: "{ plugin: targz, path: ./usb/arsip, encrypt: { recipients: [ssh-ed25519 AAAAC3Nza] } }")
        let ssh = try CLI.cadang.run(["config", "check"], in: workspace.url)
        XCTAssertEqual(ssh.status, 2, ssh.stderr)
        XCTAssertTrue(ssh.stderr.contains("only age1… keys"), ssh.stderr)
        try configure(workspace, usb: "{ plugin: targz, path: ./usb/arsip, encrypt: { } }")
        XCTAssertEqual(try CLI.cadang.run(["config", "check"], in: workspace.url).status, 2)
        try configure(workspace, usb: "{ plugin: targz, path: ./usb/arsip, encrypt: { recipients_file: missing.txt } }")
        let missing = try CLI.cadang.run(["run"], in: workspace.url)
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("missing.txt"), missing.stderr)
    }
}
