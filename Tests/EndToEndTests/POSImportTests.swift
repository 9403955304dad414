import Foundation
import POSTestSupport
import XCTest

/// `cadang restore pos`: missing orders imported into the stand-in Odoo through sync_from_ui,
/// each once, through the shipped binary; what is refused and why; failures that are not the
/// order's stop the run and change nothing.
final class POSImportTests: XCTestCase {
    func testMissingOrdersAreImportedOnceWithTheirLinesAndPayments() throws {
        for uuidUnique in [false, true] {
            let standIn = try OdooStandIn.start(uuidUnique: uuidUnique)
            defer { standIn.stop() }
            let job = try ImportWorkspace(standIn)
            try job.ingest(try (1...3).map { try ImportWorkspace.offlineOrder($0) })
            XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(1)]?[0], "synced")

            try standIn.resetCalls()
            let result = try job.cadang(["restore", "pos", "--yes", "--json"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let report = try ImportOutput.decode(result)
            XCTAssertEqual(report.imported?.map(\.key), (1...3).map(ImportWorkspace.uuid))
            XCTAssertEqual(report.imported?.map(\.session_id), [43, 43, 43], "session 42 is closed: Odoo used 43")
            XCTAssertEqual(try job.odooCopies(), Dictionary(uniqueKeysWithValues: (1...3).map { (ImportWorkspace.uuid($0), 1) }))
            let calls = try standIn.calls()
            XCTAssertEqual(calls.count("pos.order.sync_from_ui"), 3)
            XCTAssertEqual(calls.count("pos.order.search_read"), 3, "one re-check per order")

            // Lines and payments arrive as sent (the example's digits: numeric columns keep "15.0"), the
            // change payment as Odoo adds it.
            let id = try XCTUnwrap(report.imported?.first?.odoo_id)
            XCTAssertEqual(try standIn.execute("SELECT product_id, qty, price_unit, price_subtotal, price_subtotal_incl FROM pos_order_line WHERE order_id = \(id) ORDER BY id"),
                           ["77|2|15.0|27.03|30.0", "81|1|25.5|22.97|25.5"])
            XCTAssertEqual(try standIn.execute("SELECT payment_method_id, amount, is_change FROM pos_payment WHERE pos_order_id = \(id) ORDER BY id"),
                           ["1|60.0|f", "1|-4.5|t"])
            XCTAssertEqual(try standIn.execute("SELECT pos_reference, amount_total, amount_paid, session_id FROM pos_order WHERE id = \(id)"),
                           ["Order 00042-003-0001|55.50|55.5|43"])

            let stored = try XCTUnwrap(try job.orders()[ImportWorkspace.uuid(1)])
            XCTAssertEqual(stored[0], "imported")
            XCTAssertEqual(stored[1], String(id))
            let events = try job.events(ImportWorkspace.uuid(1))
            XCTAssertTrue(events.contains { $0.hasPrefix("synced>synced: import: sending version 1") }, "\(events)")
            XCTAssertTrue(events.last?.hasPrefix("synced>imported: imported version 1 as pos.order \(id) in session 43 (the payload's session 42 was closed) by cadang@toko.id in Odoo, run by ") ?? false, "\(events)")

            // Again: nothing is missing any more, nothing is sent.
            let again = try job.cadang(["restore", "pos", "--yes"])
            XCTAssertEqual(again.status, 0, again.stderr)
            XCTAssertTrue(again.stdout.contains("pos: no missing or error orders to import"), again.stdout)
            XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 3)

            // The next run's set shows the new states.
            let run = try job.cadang(["run", "pos"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let listed = try job.cadang(["list", "pos", "--json"])
            let set = try XCTUnwrap(try JSONDecoder().decode([ListedSet].self, from: Data(listed.stdout.utf8)).last, listed.stderr)
            let orders = try XCTUnwrap(set.artifacts.first { $0.dataset == "orders" })
            let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: orders.path))) as? [[String: Any]]
            XCTAssertEqual(Set(rows?.map { $0["state"] as? String ?? "" } ?? []), ["imported"])
            XCTAssertEqual(rows?.first { $0["key"] as? String == ImportWorkspace.uuid(1) }?["matched_order_id"] as? Int, id)
        }
    }

    func testWhatOdooHasWhatItWouldStoreWronglyAndAClosedConfig() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let job = try ImportWorkspace(standIn)
        try job.ingest([
            try ImportWorkspace.offlineOrder(1),
            try ImportWorkspace.onlineOrder(2),
            try ImportWorkspace.offlineOrder(3, replacing: ["\"amount\": 60.0": "\"amount\": 50.0"]),
            try ImportWorkspace.offlineOrder(4, replacing: ["\"product_id\": 81": "\"product_id\": 9999"]),
            try ImportWorkspace.offlineOrder(5),
        ])
        // Meanwhile the till reached Odoo with order 1.
        let existing = try standIn.insertOrder(uuid: ImportWorkspace.uuid(1), posReference: "Order 00042-003-0001")

        let result = try job.cadang(["restore", "pos", "--yes", "--json"])
        XCTAssertEqual(result.status, 3, "some orders ended in error: \(result.stderr)")
        let report = try ImportOutput.decode(result)
        XCTAssertEqual(report.duplicate?.map(\.key), [ImportWorkspace.uuid(1)])
        XCTAssertEqual(report.duplicate?.first?.odoo_id, existing)
        XCTAssertEqual(report.imported?.map(\.key), [ImportWorkspace.uuid(5)])
        let errors = Dictionary(uniqueKeysWithValues: (report.error ?? []).map { ($0.key, $0.reason) })
        XCTAssertTrue(errors[ImportWorkspace.uuid(2)]?.hasPrefix("no lines") ?? false, "\(errors)")
        XCTAssertTrue(errors[ImportWorkspace.uuid(3)]?.hasPrefix("payments do not add up: 45.50 paid (after change) against a total of 55.50") ?? false, "\(errors)")
        XCTAssertTrue(errors[ImportWorkspace.uuid(4)]?.contains("Odoo refused it") ?? false, "Odoo says the product is unknown: \(errors)")
        // Only what cadang let through reached Odoo: orders 4 (refused by Odoo) and 5.
        XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 2)
        XCTAssertEqual(try job.odooCopies(), [ImportWorkspace.uuid(1): 1, ImportWorkspace.uuid(5): 1])
        let stored = try job.orders()
        XCTAssertEqual(stored[ImportWorkspace.uuid(1)]?[0...1], ["duplicate", String(existing)])
        XCTAssertEqual(stored[ImportWorkspace.uuid(3)]?[0], "error")
        XCTAssertEqual(stored[ImportWorkspace.uuid(3)]?[2], errors[ImportWorkspace.uuid(3)], "the reason is kept for the retry")

        // The config's last open session closes: the retry of order 3 (now balanced: a new version) says which config.
        try standIn.execute("UPDATE pos_session SET state = 'closing_control' WHERE id = 43")
        try job.ingest([try ImportWorkspace.offlineOrder(3)], file: "fixed.json")
        let closed = try job.cadang(["restore", "pos", "--yes", "--select", ImportWorkspace.uuid(3), "--json"])
        XCTAssertEqual(closed.status, 3, closed.stderr)
        let reason = try XCTUnwrap(try ImportOutput.decode(closed).error?.first?.reason)
        XCTAssertTrue(reason.contains("no open session of point of sale config 3"), reason)
        XCTAssertTrue(reason.contains("open a session of it in Odoo"), reason)
        XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(3)]?[0], "error")

        // Opened again: the retry goes through, with the new version.
        try standIn.execute("UPDATE pos_session SET state = 'opened' WHERE id = 43")
        let retried = try job.cadang(["restore", "pos", "--yes", "--select", ImportWorkspace.uuid(3), "--json"])
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssertEqual(try ImportOutput.decode(retried).imported?.map(\.version), [2])
        XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(3)]?[0], "imported")
        XCTAssertEqual(try job.odooCopies()[ImportWorkspace.uuid(3)], 1)
    }

    func testFailuresThatAreNotTheOrdersStopTheRunAndChangeNoState() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let job = try ImportWorkspace(standIn, timeout: "2s", resendAfter: "3s")
        try job.ingest([try ImportWorkspace.offlineOrder(1), try ImportWorkspace.offlineOrder(2)])
        let before = try job.orders()
        func expectStop(_ result: CLI.Result, _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
            XCTAssertEqual(result.status, 1, result.stderr, file: file, line: line)
            let lines = result.stderr.split(separator: "\n").filter { $0.contains("error") }
            XCTAssertEqual(lines.count, 1, result.stderr, file: file, line: line)
            XCTAssertTrue(result.stderr.contains(text), result.stderr, file: file, line: line)
            XCTAssertFalse(result.stderr.contains("key-"), "no API key in messages", file: file, line: line)
            XCTAssertEqual(try job.orders(), before, "no state changed", file: file, line: line)
            XCTAssertEqual(try standIn.execute("SELECT count(*) FROM pos_order"), ["0"], file: file, line: line)
        }

        // A bad key: login refused.
        try expectStop(try CLI.cadang.run(["restore", "pos", "--yes"], in: job.workspace.url, environment: ["ODOO_API_KEY": "wrong"]),
                       "refused the login")
        // A user who may read but not create orders (verify's user): AccessError on the send.
        let reader = try ImportWorkspace(standIn, user: .reader)
        try reader.ingest([try ImportWorkspace.offlineOrder(7)])
        let readerBefore = try reader.orders()
        let denied = try reader.cadang(["restore", "pos", "--yes"])
        XCTAssertEqual(denied.status, 1, denied.stderr)
        XCTAssertTrue(denied.stderr.contains("lacks the right to create pos.order"), denied.stderr)
        XCTAssertTrue(denied.stderr.contains("point-of-sale rights"), denied.stderr)
        XCTAssertEqual(try reader.orders(), readerBefore)
        XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 1, "stopped at the first order, no loop")

        // Odoo slower than the timeout: the run stops; Odoo creates the order after all; the next run
        // finds it by uuid and records it as imported, without sending it again.
        try standIn.resetCalls()
        try standIn.setDelay(3, methods: ["pos.order.sync_from_ui"])
        let slow = try job.cadang(["restore", "pos", "--yes", "--select", ImportWorkspace.uuid(1)])
        XCTAssertEqual(slow.status, 1, slow.stderr)
        XCTAssertTrue(slow.stderr.contains("no answer within 2 s"), slow.stderr)
        XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(1)]?[0], "synced", "no state changed")
        try standIn.setDelay(0)
        Thread.sleep(forTimeInterval: 4)
        let settled = try job.cadang(["restore", "pos", "--yes", "--select", ImportWorkspace.uuid(1), "--json"])
        XCTAssertEqual(settled.status, 0, settled.stderr)
        XCTAssertEqual(try ImportOutput.decode(settled).imported?.map(\.key), [ImportWorkspace.uuid(1)])
        XCTAssertEqual(try job.odooCopies()[ImportWorkspace.uuid(1)], 1)
        XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 1, "sent once, by the run that timed out")
        XCTAssertTrue(try job.events(ImportWorkspace.uuid(1)).last?.contains("after an earlier send whose answer was not recorded") ?? false)

        // Odoo down.
        standIn.stop()
        let down = try job.cadang(["restore", "pos", "--yes"])
        XCTAssertEqual(down.status, 1, down.stderr)
        XCTAssertTrue(down.stderr.contains("unreachable"), down.stderr)
        XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(2)], before[ImportWorkspace.uuid(2)])
    }

    func testASendLeftWithoutAnAnswerIsNotSentAgainWhileOdooMayStillBeCreatingIt() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let job = try ImportWorkspace(standIn, timeout: "1s", resendAfter: "1h")
        try job.ingest([try ImportWorkspace.offlineOrder(1)])
        // No answer in time: Odoo got the call and takes 2 s to create the order.
        try standIn.setDelay(2, methods: ["pos.order.sync_from_ui"])
        XCTAssertEqual(try job.cadang(["restore", "pos", "--yes"]).status, 1)
        try standIn.setDelay(0)
        // Odoo is still working on it (2 s) when the user tries again at once: cadang waits.
        let early = try job.cadang(["restore", "pos", "--yes", "--json"])
        XCTAssertEqual(early.status, 3, early.stderr)
        let skipped = try XCTUnwrap(try ImportOutput.decode(early).skipped?.first?.reason)
        XCTAssertTrue(skipped.contains("without an answer and Odoo does not have it yet"), skipped)
        Thread.sleep(forTimeInterval: 3)
        XCTAssertEqual(try job.odooCopies(), [ImportWorkspace.uuid(1): 1], "one copy: the first send's")
        let later = try job.cadang(["restore", "pos", "--yes", "--json"])
        XCTAssertEqual(later.status, 0, later.stderr)
        XCTAssertEqual(try ImportOutput.decode(later).imported?.map(\.key), [ImportWorkspace.uuid(1)])
        XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 1)
    }

    func testWithoutYesItShowsTheListAndAsks() throws {
        let standIn = try OdooStandIn.start()
        defer { standIn.stop() }
        let job = try ImportWorkspace(standIn)
        try job.ingest([try ImportWorkspace.offlineOrder(1)])
        let no = try job.cadang(["restore", "pos"], input: "n\n")
        XCTAssertEqual(no.status, 1)
        XCTAssertTrue(no.stdout.contains("would send   order \(ImportWorkspace.uuid(1)) version 1 (session 42, 2026-01-11 02:37:05 UTC, total 55.50)"), no.stdout)
        XCTAssertTrue(no.stderr.contains("Import 1 order(s) into Odoo at \(standIn.url.absoluteString)"), no.stderr)
        XCTAssertTrue(no.stdout.contains("not imported"), no.stdout)
        XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 0)
        let yes = try job.cadang(["restore", "pos"], input: "y\n")
        XCTAssertEqual(yes.status, 0, yes.stderr)
        XCTAssertTrue(yes.stdout.contains("pos: 1 imported, 0 duplicate, 0 error"), yes.stdout)
    }

    func testDryRunListsExactlyWhatTheRealRunTakes() throws {
        for postgres in [false, true] {
            let standIn = try OdooStandIn.start()
            defer { standIn.stop() }
            let database = postgres ? try TestPostgres.makeDatabase("importdry") : nil
            defer { try? database?.drop() }
            let job = try ImportWorkspace(standIn, store: database)
            // Orders 1-4 on the 11th (shop time), 5 on the 12th; 6 in session 43; 7 unbalanced (an error first).
            var orders = try (1...4).map { try ImportWorkspace.offlineOrder($0) }
            orders.append(try ImportWorkspace.offlineOrder(5, replacing: ["2026-01-11 02:37:05": "2026-01-12 02:37:05"]))
            orders.append(try ImportWorkspace.offlineOrder(6, replacing: ["\"session_id\": 42": "\"session_id\": 43"]))
            orders.append(try ImportWorkspace.offlineOrder(7, replacing: ["\"amount\": 60.0": "\"amount\": 10.0"]))
            try job.ingest(orders)
            XCTAssertEqual(try job.cadang(["restore", "pos", "--yes", "--select", ImportWorkspace.uuid(7)]).status, 3)
            XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(7)]?[0], "error")

            for filters in [[], ["--session", "42"], ["--from", "2026-01-12"], ["--to", "2026-01-11"],
                            ["--select", ImportWorkspace.uuid(4), ImportWorkspace.uuid(2), ImportWorkspace.uuid(7)]] {
                let dry = try job.cadang(["restore", "pos"] + filters + ["--dry-run", "--json"])
                XCTAssertEqual(dry.status, 0, dry.stderr)
                let plan = try ImportOutput.decode(dry)
                XCTAssertEqual(plan.dry_run, true)
                XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 0, "a dry run sends nothing")
                XCTAssertEqual(try job.orders()[ImportWorkspace.uuid(1)]?[0], "synced", "a dry run changes nothing")
                let expected: [Int]
                switch filters.first {
                case nil: expected = [1, 2, 3, 4, 6, 7, 5]
                case "--session": expected = [1, 2, 3, 4, 7, 5]
                case "--from": expected = [5]
                case "--to": expected = [1, 2, 3, 4, 6, 7]
                default: expected = [2, 4, 7]
                }
                XCTAssertEqual(plan.orders, expected.map(ImportWorkspace.uuid), "\(filters)")
                XCTAssertEqual(plan.refuse?.map(\.key), [ImportWorkspace.uuid(7)].filter { plan.orders.contains($0) })
            }
            // The real run with the --select filter takes exactly the dry run's list, in its order.
            let filters = ["--select", ImportWorkspace.uuid(4), ImportWorkspace.uuid(2), ImportWorkspace.uuid(7)]
            let dry = try ImportOutput.decode(try job.cadang(["restore", "pos"] + filters + ["--dry-run", "--json"]))
            let real = try job.cadang(["restore", "pos"] + filters + ["--yes", "--json"])
            XCTAssertEqual(real.status, 3, real.stderr)
            let done = try ImportOutput.decode(real)
            XCTAssertEqual(done.orders, dry.orders)
            XCTAssertEqual(done.imported?.map(\.key), dry.send?.map(\.key))
            XCTAssertEqual(done.imported?.map(\.version), dry.send?.map(\.version))
            XCTAssertEqual(done.error?.map(\.key), dry.refuse?.map(\.key))
            // And the rest with --from/--to, in shop days.
            let rest = try ImportOutput.decode(try job.cadang(["restore", "pos", "--from", "2026-01-11", "--to", "2026-01-11", "--dry-run", "--json"]))
            XCTAssertEqual(rest.orders, [1, 3, 6, 7].map(ImportWorkspace.uuid))
        }
    }

    func testTwoImportsAtOnceSendEveryOrderOnce() throws {
        for postgres in [false, true] {
            let standIn = try OdooStandIn.start()
            defer { standIn.stop() }
            let database = postgres ? try TestPostgres.makeDatabase("importrace") : nil
            defer { try? database?.drop() }
            let first = try ImportWorkspace(standIn, store: database)
            try first.ingest(try (1...30).map { try ImportWorkspace.offlineOrder($0) })
            // SQLite: two processes on one repository. PostgreSQL: two machines (repositories) on one store.
            let second = postgres ? try ImportWorkspace(standIn, store: database) : first
            try standIn.setDelay(0.02)
            let processes = [try first.start(["restore", "pos", "--yes"]), try second.start(["restore", "pos", "--yes"])]
            for process in processes { process.waitUntilExit() }
            XCTAssertEqual(processes.map(\.terminationStatus), [0, 0])
            let copies = try first.odooCopies()
            XCTAssertEqual(copies.count, 30)
            XCTAssertEqual(Set(copies.values), [1], "every order once in Odoo: \(copies.filter { $0.value > 1 })")
            XCTAssertEqual(try standIn.calls().count("pos.order.sync_from_ui"), 30, "no order sent twice")
            XCTAssertEqual(Set(try first.orders().values.map { $0[0] }), ["imported"])
        }
    }

    func testKilledImportsNeverMakeASecondCopyOrLoseAnOrder() throws {
        for postgres in [false, true] {
            let standIn = try OdooStandIn.start()
            defer { standIn.stop() }
            let database = postgres ? try TestPostgres.makeDatabase("importkill") : nil
            defer { try? database?.drop() }
            let job = try ImportWorkspace(standIn, store: database, resendAfter: "1s")
            try job.ingest(try (1...200).map { try ImportWorkspace.offlineOrder($0) })
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<20 {
                let process = try job.start(["restore", "pos", "--yes"])
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.6, using: &generator))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            // Sends left without an answer wait resend_after; then a run settles everything.
            var final = CLI.Result(status: -1, stdout: "", stderr: "")
            for _ in 0..<5 where final.status != 0 {
                Thread.sleep(forTimeInterval: 1.2)
                final = try job.cadang(["restore", "pos", "--yes"])
            }
            XCTAssertEqual(final.status, 0, final.stdout + final.stderr)
            let copies = try job.odooCopies()
            XCTAssertEqual(copies.count, 200, "none lost")
            XCTAssertEqual(Set(copies.values), [1], "no order in Odoo twice: \(copies.filter { $0.value > 1 })")
            let stored = try job.orders()
            XCTAssertEqual(Set(stored.values.map { $0[0] }), ["imported"], "what cadang sent is recorded as imported")
            let ids = try Dictionary(uniqueKeysWithValues: standIn.execute("SELECT uuid, id FROM pos_order").map { line in
                let parts = line.split(separator: "|")
                return (String(parts[0]), String(parts[1]))
            })
            for (key, row) in stored { XCTAssertEqual(row[1], ids[key], key) }
        }
    }
}
