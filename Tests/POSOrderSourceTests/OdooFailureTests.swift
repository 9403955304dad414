import Foundation
import POSOrderSource
import POSTestSupport
import XCTest

/// A server that is down, slow, or answers something that is not Odoo's JSON-RPC: the right
/// OdooError, quickly, with the URL and without the key.
final class OdooFailureTests: XCTestCase {
    func testAServerThatIsDownIsConnectionRefusedQuickly() throws {
        let standIn = try OdooStandIn.start()
        let url = standIn.url
        standIn.stop()
        let client = OdooClient(url: url, database: "odoo", user: "u", apiKey: "secret-key-1", timeout: 10)
        let started = Date()
        let error = OdooTest.error { try client.login() }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(error, .unreachable(url: url.absoluteString, reason: .connectionRefused))
        let line = try XCTUnwrap(error?.description)
        XCTAssertTrue(line.contains(url.absoluteString) && line.contains("connection refused"), line)
        XCTAssertFalse(line.contains("secret-key-1"))
    }

    func testASlowServerTimesOut() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        try standIn.setDelay(5)
        let client = OdooTest.client(standIn, timeout: 1)
        let started = Date()
        let error = OdooTest.error { try client.login() }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 3)
        XCTAssertEqual(error, .unreachable(url: standIn.url.absoluteString, reason: .timedOut(seconds: 1)))
        XCTAssertTrue(error?.description.contains("timeout") ?? false)
        XCTAssertEqual(try standIn.calls().count("common.login"), 1)
    }

    func testAnswersThatAreNotJSONRPCAreBadResponses() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let client = OdooTest.client(standIn)
        for failure in [OdooStandIn.Failure.http500, .garbage] {
            try standIn.failNext(failure)
            guard case .badResponse(let url, _)? = OdooTest.error({ try client.login() }) else {
                return XCTFail("\(failure): expected badResponse")
            }
            XCTAssertEqual(url, standIn.url.absoluteString)
        }
        // A connection closed unanswered: curl says "empty reply" at once, but FoundationNetworking's
        // URLSession on Linux only gives up at the timeout; either way an unreachable, within it.
        try standIn.failNext(.drop)
        let quick = OdooTest.client(standIn, timeout: 2)
        let started = Date()
        let dropped = OdooTest.error { try quick.login() }
        switch dropped {
        case .unreachable(_, .connectionLost)?, .unreachable(_, .timedOut(seconds: 2))?: break
        default: XCTFail("drop: expected unreachable, got \(String(describing: dropped))")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
        // And it recovers: the knobs were one-shot.
        XCTAssertEqual(try client.login(), 2)
    }

    func testAnInjectedOdooErrorIsClassified() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let client = OdooTest.client(standIn)
        try client.login()
        try standIn.failNext(.odooError(name: "odoo.exceptions.AccessError",
                                        message: "You are not allowed to modify 'Point of Sale Orders' (pos.order) records."))
        let error = OdooTest.error { _ = try client.executeKw(model: "pos.order", method: "search_count", args: [[]]) }
        XCTAssertEqual(error?.serverKind, .access(right: "write pos.order"))
        try standIn.failNext(.odooError(name: "psycopg2.errors.SerializationFailure", message: "could not serialize"))
        let other = OdooTest.error { _ = try client.executeKw(model: "pos.order", method: "search_count", args: [[]]) }
        XCTAssertEqual(other?.serverKind, .other)
        XCTAssertTrue(other?.description.contains("psycopg2.errors.SerializationFailure") ?? false)
    }
}
