import CadangCore
import Foundation
import XCTest

final class RepositoryTests: TemporaryFolderTestCase {
    private var setsFolder: URL { root.appendingPathComponent("repo/sets") }
    private var tmpFolder: URL { root.appendingPathComponent("repo/tmp") }

    /// Commits a set with one small artifact.
    @discardableResult
    private func commitSet(_ repository: Repository, job: String = "daily", time: Date,
                           text: String = "hello\n") throws -> BackupSet {
        let staged = try repository.beginSet(job: job, time: time)
        let writer = try staged.createArtifact(path: "items.txt", dataset: "items", format: "txt")
        writer.write(text)
        try staged.close(writer, rows: 1)
        return try staged.commit(sources: [Manifest.SourceEntry(name: "shop", plugin: "test", description: "a shop")],
                                 warnings: ["w1"], tool: "cadang 0.0-test")
    }

    func testCommitListsTheSetWithItsManifest() throws {
        let repository = makeRepository()
        let time = utcDate(2026, 1, 31, 16, 0, 0, micros: 123_456)
        let staged = try repository.beginSet(job: "daily", time: time)
        XCTAssertTrue(SetID.isValid(staged.id))
        XCTAssertTrue(staged.id.hasPrefix("20260131T160000.123456Z-"), staged.id)
        XCTAssertEqual(staged.job, "daily")
        XCTAssertEqual(staged.time, time)
        XCTAssertEqual(staged.directory.deletingLastPathComponent().standardizedFileURL.path, tmpFolder.standardizedFileURL.path)

        let first = try staged.createArtifact(path: "items.txt", dataset: "items", format: "txt")
        first.write("a\nb\n")
        try staged.close(first, rows: 2)
        let second = try staged.createArtifact(path: "sub/other.bin", dataset: "other", format: "bin")
        second.write("xyz")
        try staged.close(second, rows: nil)

        // Not listed before commit.
        XCTAssertEqual(repository.sets().count, 0)
        XCTAssertNil(repository.set(id: staged.id))
        XCTAssertFalse(FileManager.default.fileExists(atPath: setsFolder.appendingPathComponent(staged.id).path))

        let sources = [Manifest.SourceEntry(name: "shop", plugin: "test", description: "a shop")]
        let set = try staged.commit(sources: sources, warnings: ["careful"], tool: "cadang 9.9")
        XCTAssertEqual(set.id, staged.id)
        XCTAssertEqual(set.directory.standardizedFileURL.path, setsFolder.appendingPathComponent(staged.id).standardizedFileURL.path)
        XCTAssertEqual(listing(tmpFolder), [], "commit leaves nothing in tmp/ (scratch removed)")

        let listed = repository.sets()
        XCTAssertEqual(listed.count, 1)
        let manifest = try XCTUnwrap(listed.first?.manifest)
        XCTAssertEqual(manifest, set.manifest)
        XCTAssertEqual(manifest.format, Manifest.currentFormat)
        XCTAssertEqual(manifest.id, staged.id)
        XCTAssertEqual(manifest.job, "daily")
        XCTAssertEqual(manifest.tool, "cadang 9.9")
        XCTAssertEqual(manifest.sources, sources)
        XCTAssertEqual(manifest.warnings, ["careful"])
        let parsed = try XCTUnwrap(Timestamp.parse(manifest.time), manifest.time)
        XCTAssertEqual(parsed.timeIntervalSince1970, time.timeIntervalSince1970, accuracy: 1e-6)
        XCTAssertEqual(listed[0].time.timeIntervalSince1970, time.timeIntervalSince1970, accuracy: 1e-6)
        XCTAssertNotNil(Timestamp.parse(manifest.created))
        XCTAssertEqual(manifest.artifacts.map(\.path), ["items.txt", "sub/other.bin"])
        XCTAssertEqual(manifest.artifacts[0], Artifact(path: "items.txt", dataset: "items", format: "txt", bytes: 4, rows: 2,
                                                       sha256: SHA256.hex(of: Array("a\nb\n".utf8))))
        XCTAssertEqual(manifest.artifacts[1], Artifact(path: "sub/other.bin", dataset: "other", format: "bin", bytes: 3, rows: nil,
                                                       sha256: SHA256.hex(of: Array("xyz".utf8))))
        XCTAssertEqual(listed[0].totalBytes, 7)
        for artifact in manifest.artifacts {
            XCTAssertEqual(artifact.sha256, try sha256sum(listed[0].url(of: artifact)))
        }
        XCTAssertEqual(repository.set(id: set.id)?.manifest, manifest)
        // The manifest on disk is what Manifest.read returns.
        XCTAssertEqual(Manifest.read(from: set.directory.appendingPathComponent(Manifest.fileName)), manifest)
        XCTAssertEqual(listing(set.directory), ["items.txt", "manifest.json", "sub"])
    }

    func testDiscardLeavesNothingInTmp() throws {
        let repository = makeRepository()
        let staged = try repository.beginSet(job: "daily", time: Date())
        let writer = try staged.createArtifact(path: "a/b.txt", dataset: "b", format: "txt")
        writer.write("partial")
        try Data("scratch".utf8).write(to: staged.scratchDirectory.appendingPathComponent("db.sqlite"))
        XCTAssertEqual(listing(tmpFolder).count, 2)
        staged.discard()
        XCTAssertEqual(listing(tmpFolder), [])
        XCTAssertEqual(listing(setsFolder), [])
        XCTAssertEqual(repository.sets().count, 0)
    }

    func testFoldersWithoutAValidManifestAreNotSets() throws {
        let repository = makeRepository()
        let good = try commitSet(repository, time: utcDate(2026, 1, 1))
        let fm = FileManager.default

        // No manifest.
        let empty = SetID.make(time: utcDate(2026, 1, 2))
        try fm.createDirectory(at: setsFolder.appendingPathComponent(empty), withIntermediateDirectories: false)
        try Data("x".utf8).write(to: setsFolder.appendingPathComponent(empty).appendingPathComponent("items.txt"))
        // Corrupt manifest.
        let corrupt = SetID.make(time: utcDate(2026, 1, 3))
        try fm.createDirectory(at: setsFolder.appendingPathComponent(corrupt), withIntermediateDirectories: false)
        try Data("{\"format\": \"cadang-manifest/1\", \"id\": ".utf8)
            .write(to: setsFolder.appendingPathComponent(corrupt).appendingPathComponent(Manifest.fileName))
        // A valid manifest in a folder with another id.
        let moved = SetID.make(time: utcDate(2026, 1, 4))
        try fm.copyItem(at: good.directory, to: setsFolder.appendingPathComponent(moved))
        // A valid manifest in a folder whose name is no set id.
        try fm.copyItem(at: good.directory, to: setsFolder.appendingPathComponent("not-an-id"))
        // A manifest with a wrong format marker.
        let wrongFormat = SetID.make(time: utcDate(2026, 1, 5))
        var manifest = good.manifest
        manifest.id = wrongFormat
        manifest.format = "cadang-manifest/999"
        try fm.createDirectory(at: setsFolder.appendingPathComponent(wrongFormat), withIntermediateDirectories: false)
        try Data(try manifest.encoded()).write(to: setsFolder.appendingPathComponent(wrongFormat).appendingPathComponent(Manifest.fileName))
        // A manifest whose time does not parse.
        let badTime = SetID.make(time: utcDate(2026, 1, 6))
        manifest = good.manifest
        manifest.id = badTime
        manifest.time = "yesterday"
        try fm.createDirectory(at: setsFolder.appendingPathComponent(badTime), withIntermediateDirectories: false)
        try Data(try manifest.encoded()).write(to: setsFolder.appendingPathComponent(badTime).appendingPathComponent(Manifest.fileName))
        // Control: the same construction with a matching id and a good time is listed.
        let control = SetID.make(time: utcDate(2026, 1, 7))
        manifest = good.manifest
        manifest.id = control
        try fm.createDirectory(at: setsFolder.appendingPathComponent(control), withIntermediateDirectories: false)
        try Data(try manifest.encoded()).write(to: setsFolder.appendingPathComponent(control).appendingPathComponent(Manifest.fileName))

        XCTAssertEqual(repository.sets().map(\.id).sorted(), [good.id, control].sorted())
        for id in [empty, corrupt, moved, wrongFormat, badTime] {
            XCTAssertNil(repository.set(id: id), id)
        }
        XCTAssertNil(repository.set(id: "not-an-id"))
        XCTAssertNil(repository.set(id: "../tmp"))
        XCTAssertNotNil(repository.set(id: good.id))
    }

    func testSweepLeftoversRemovesEverythingInTmp() throws {
        let repository = makeRepository()
        let kept = try commitSet(repository, time: utcDate(2026, 1, 1))
        // A crashed run: staged folder with a half-written artifact, and its scratch folder.
        let crashed = try repository.beginSet(job: "daily", time: Date())
        let writer = try crashed.createArtifact(path: "items.txt", dataset: "items", format: "txt")
        writer.write("half")
        try crashed.close(writer, rows: nil)
        try Data("db".utf8).write(to: crashed.scratchDirectory.appendingPathComponent("kasir.db"))
        // A half-deleted set and a stray file.
        try FileManager.default.createDirectory(at: tmpFolder.appendingPathComponent("x.deleting/deep"), withIntermediateDirectories: true)
        try Data("junk".utf8).write(to: tmpFolder.appendingPathComponent("stray"))

        let swept = try repository.sweepLeftovers()
        XCTAssertEqual(Set(swept), [crashed.id, crashed.id + ".scratch", "x.deleting", "stray"])
        XCTAssertEqual(listing(tmpFolder), [])
        XCTAssertEqual(repository.sets().map(\.id), [kept.id])
        XCTAssertEqual(try repository.sweepLeftovers(), [])
    }

    func testRemoveUnlistsAndDeletes() throws {
        let repository = makeRepository()
        let first = try commitSet(repository, time: utcDate(2026, 1, 1))
        let second = try commitSet(repository, time: utcDate(2026, 1, 2))
        try repository.remove(first)
        XCTAssertEqual(repository.sets().map(\.id), [second.id])
        XCTAssertNil(repository.set(id: first.id))
        XCTAssertFalse(FileManager.default.fileExists(atPath: first.directory.path))
        XCTAssertEqual(listing(tmpFolder), [], "the doomed folder is deleted, not left in tmp/")
        XCTAssertEqual(listing(setsFolder), [second.id])
    }

    func testSetsAreSortedAndFilteredByJob() throws {
        let repository = makeRepository()
        let late = try commitSet(repository, job: "daily", time: utcDate(2026, 3, 1))
        let early = try commitSet(repository, job: "daily", time: utcDate(2025, 3, 1))
        let hourly = try commitSet(repository, job: "hourly", time: utcDate(2026, 1, 1))
        XCTAssertEqual(repository.sets().map(\.id), [early.id, hourly.id, late.id])
        XCTAssertEqual(repository.sets(job: "daily").map(\.id), [early.id, late.id])
        XCTAssertEqual(repository.sets(job: "hourly").map(\.id), [hourly.id])
        XCTAssertEqual(repository.sets(job: "weekly").map(\.id), [])
        XCTAssertTrue(repository.sets(job: "daily").allSatisfy { $0.job == "daily" })
    }

    func testTwoSetsAtTheSameTimeAreBothListed() throws {
        let repository = makeRepository()
        let time = utcDate(2026, 1, 31, 16, 0, 0, micros: 500_000)
        let a = try commitSet(repository, time: time, text: "a")
        let b = try commitSet(repository, time: time, text: "b")
        XCTAssertNotEqual(a.id, b.id)
        XCTAssertEqual(a.id.prefix(23), b.id.prefix(23))
        let listed = repository.sets()
        XCTAssertEqual(Set(listed.map(\.id)), [a.id, b.id])
        XCTAssertEqual(listed.map(\.id), [a.id, b.id].sorted(), "equal times sort by id")
        XCTAssertEqual(try contents(a.directory.appendingPathComponent("items.txt")), Array("a".utf8))
        XCTAssertEqual(try contents(b.directory.appendingPathComponent("items.txt")), Array("b".utf8))
    }

    func testCreateArtifactRejectsUnsafeAndDuplicatePaths() throws {
        let repository = makeRepository()
        let staged = try repository.beginSet(job: "daily", time: Date())
        for path in ["../x", "/abs", "a//b", "manifest.json", "", "./x", "a/../b", "a/./b", "a/", "..", "x/.."] {
            XCTAssertThrowsError(try staged.createArtifact(path: path, dataset: "d", format: "txt"), path) { error in
                XCTAssertTrue(error is CadangError, "\(path): \(error)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmpFolder.appendingPathComponent("x").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("repo/x").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/abs"))

        let writer = try staged.createArtifact(path: "items.csv", dataset: "items", format: "csv")
        writer.write("one")
        let duplicate = assertCadangError(.usage) { try staged.createArtifact(path: "items.csv", dataset: "other", format: "csv") }
        XCTAssertTrue(duplicate?.message.contains("items.csv") ?? false)
        try staged.close(writer, rows: 1)
        let set = try staged.commit(sources: [], warnings: [], tool: "t")
        XCTAssertEqual(set.manifest.artifacts.map(\.path), ["items.csv"])
        XCTAssertEqual(try contents(set.directory.appendingPathComponent("items.csv")), Array("one".utf8))
        XCTAssertEqual(listing(set.directory), ["items.csv", "manifest.json"])
    }

    func testFileDatasetIsMovedHashedAndRecorded() throws {
        let repository = makeRepository()
        let staged = try repository.beginSet(job: "daily", time: Date())
        var generator = SeededGenerator(seed: 8)
        let bytes = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let source = staged.scratchDirectory.appendingPathComponent("snapshot.db")
        try Data(bytes).write(to: source)
        try staged.add(FileDataset(name: "database", fileName: "kasir.db", format: "sqlite", url: source, rows: 12),
                       path: "kasir.db")
        XCTAssertFalse(FileManager.default.fileExists(atPath: source.path), "the file is moved, not copied")
        let set = try staged.commit(sources: [], warnings: [], tool: "t")
        let artifact = try XCTUnwrap(set.manifest.artifacts.first)
        XCTAssertEqual(artifact.path, "kasir.db")
        XCTAssertEqual(artifact.dataset, "database")
        XCTAssertEqual(artifact.format, "sqlite")
        XCTAssertEqual(artifact.rows, 12)
        XCTAssertEqual(artifact.bytes, Int64(bytes.count))
        let url = set.url(of: artifact)
        XCTAssertEqual(try contents(url), bytes)
        XCTAssertEqual(artifact.sha256, try sha256sum(url))
        XCTAssertEqual(permissions(url), 0o600)
        XCTAssertEqual(repository.sets().first?.manifest.artifacts, [artifact])
    }

    func testFileDatasetOutsideTheScratchFolderIsRefused() throws {
        let repository = makeRepository()
        let staged = try repository.beginSet(job: "daily", time: Date())
        let outside = root.appendingPathComponent("outside.db")
        try Data("outside".utf8).write(to: outside)
        let sneaky = staged.scratchDirectory.appendingPathComponent("../../outside2.db")
        try Data("outside2".utf8).write(to: sneaky)
        let sibling = URL(fileURLWithPath: staged.scratchDirectory.path + "-evil/x.db")
        try FileManager.default.createDirectory(at: sibling.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("sibling".utf8).write(to: sibling)

        XCTAssertThrowsError(try staged.add(FileDataset(name: "db", fileName: "a.db", format: "sqlite", url: outside), path: "a.db"))
        XCTAssertThrowsError(try staged.add(FileDataset(name: "db", fileName: "b.db", format: "sqlite", url: sneaky), path: "b.db"))
        XCTAssertThrowsError(try staged.add(FileDataset(name: "db", fileName: "c.db", format: "sqlite", url: sibling), path: "c.db"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: outside.path), "a refused file is left where it was")
        XCTAssertEqual(try contents(outside), Array("outside".utf8))
        XCTAssertTrue(FileManager.default.fileExists(atPath: sneaky.standardizedFileURL.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: sibling.path))
        XCTAssertEqual(listing(staged.directory), [], "nothing was moved into the set")
        staged.discard()
    }

    func testPrepareWithAMissingParentIsUnavailable() throws {
        let repository = Repository(url: root.appendingPathComponent("unmounted-drive/backups"))
        let error = assertCadangError(.unavailable) { try repository.prepare() }
        XCTAssertTrue(error?.message.contains("unmounted-drive") ?? false, error?.message ?? "")
        assertCadangError(.unavailable) { try repository.lock(wait: nil, command: "cadang run") }
        assertCadangError(.unavailable) { try repository.beginSet(job: "daily", time: Date()) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("unmounted-drive").path),
                       "nothing is created on the missing drive")
        XCTAssertEqual(repository.sets().count, 0)

        // With the parent present, prepare creates the layout (and is idempotent).
        let present = makeRepository()
        try present.prepare()
        try present.prepare()
        XCTAssertEqual(listing(present.url), ["sets", "tmp"])
    }
}

final class RepositoryReservedNameTests: TemporaryFolderTestCase {
    /// `commit` writes the manifest through `.manifest.json.tmp` in the set folder, so an artifact
    /// of that name must be refused (or survive); it must never be listed in a manifest but lost.
    func testArtifactNamedLikeTheManifestTemporaryFileIsNotLost() throws {
        let repository = makeRepository()
        let staged = try repository.beginSet(job: "daily", time: Date())
        let writer: ArtifactWriter
        do {
            writer = try staged.createArtifact(path: ".manifest.json.tmp", dataset: "d", format: "txt")
        } catch is CadangError {
            return // refused: fine
        }
        writer.write("data")
        try staged.close(writer, rows: nil)
        let set = try staged.commit(sources: [], warnings: [], tool: "t")
        for artifact in set.manifest.artifacts {
            let url = set.url(of: artifact)
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "\(artifact.path) is listed in the manifest but missing")
            if let bytes = try? contents(url) {
                XCTAssertEqual(bytes, Array("data".utf8))
                XCTAssertEqual(SHA256.hex(of: bytes), artifact.sha256)
            }
        }
        XCTAssertNotNil(repository.set(id: set.id))
    }
}
