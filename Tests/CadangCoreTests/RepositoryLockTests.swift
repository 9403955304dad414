import CadangCore
import Foundation
import XCTest

final class RepositoryLockTests: TemporaryFolderTestCase {
    private struct HolderRecord: Decodable {
        var pid: Int32
        var host: String
        var started: String
        var command: String
    }

    private func holderRecord(_ repository: Repository) throws -> HolderRecord {
        try JSONDecoder().decode(HolderRecord.self, from: Data(contentsOf: repository.url.appendingPathComponent("lock")))
    }

    func testLockRecordsTheHolder() throws {
        let repository = makeRepository()
        let lock = try repository.lock(wait: nil, command: "cadang run first")
        XCTAssertNil(lock.tookOverFrom)
        let record = try holderRecord(repository)
        XCTAssertEqual(record.pid, getpid())
        XCTAssertEqual(record.command, "cadang run first")
        XCTAssertEqual(record.host, ProcessInfo.processInfo.hostName)
        XCTAssertNotNil(Timestamp.parse(record.started), record.started)
        XCTAssertEqual(permissions(repository.url.appendingPathComponent("lock")), 0o600)
        lock.release()
        lock.release() // idempotent
    }

    func testSecondLockInTheSameProcessIsRefusedWithTheHolder() throws {
        let repository = makeRepository()
        let first = try repository.lock(wait: nil, command: "cadang run first")
        let error = assertCadangError(.locked) { try repository.lock(wait: nil, command: "cadang run second") }
        let message = error?.message ?? ""
        XCTAssertTrue(message.contains("cadang run first"), message)
        XCTAssertTrue(message.contains("PID \(getpid())"), message)
        XCTAssertFalse(message.contains("cadang run second"), message)
        // The refused attempt did not overwrite the holder record.
        XCTAssertEqual(try holderRecord(repository).command, "cadang run first")

        first.release()
        let again = try repository.lock(wait: nil, command: "cadang run third")
        XCTAssertNil(again.tookOverFrom, "a cleanly released lock leaves no holder to take over from")
        XCTAssertEqual(try holderRecord(repository).command, "cadang run third")
        again.release()
    }

    func testWaitingWhileHeldStillFailsWithLocked() throws {
        let repository = makeRepository()
        let holder = try repository.lock(wait: nil, command: "cadang run holder")
        let error = assertCadangError(.locked) { try repository.lock(wait: 0.5, command: "cadang run waiter") }
        XCTAssertTrue(error?.message.contains("cadang run holder") ?? false, error?.message ?? "")
        holder.release()
        let after = try repository.lock(wait: 0.5, command: "cadang run waiter")
        after.release()
    }

    func testLockIsReleasedWhenTheValueGoesAway() throws {
        let repository = makeRepository()
        do {
            let scoped = try repository.lock(wait: nil, command: "cadang run scoped")
            XCTAssertNil(scoped.tookOverFrom)
        }
        let next = try repository.lock(wait: nil, command: "cadang run next")
        XCTAssertNil(next.tookOverFrom)
        next.release()
    }

    func testStaleHolderIsTakenOver() throws {
        let repository = makeRepository()
        try repository.prepare()
        let stale = #"{"pid":999999,"host":"x","started":"2026-01-01T00:00:00Z","command":"cadang run old"}"#
        try Data(stale.utf8).write(to: repository.url.appendingPathComponent("lock"))
        let lock = try repository.lock(wait: nil, command: "cadang run new")
        let previous = try XCTUnwrap(lock.tookOverFrom)
        XCTAssertEqual(previous.pid, 999_999)
        XCTAssertEqual(previous.host, "x")
        XCTAssertEqual(previous.started, "2026-01-01T00:00:00Z")
        XCTAssertEqual(previous.command, "cadang run old")
        XCTAssertEqual(previous.description, "cadang run old (PID 999999 on host x since 2026-01-01T00:00:00Z)")
        let record = try holderRecord(repository)
        XCTAssertEqual(record.pid, getpid())
        XCTAssertEqual(record.command, "cadang run new")
        lock.release()
    }
}
