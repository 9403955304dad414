import CadangCore
@testable import CadangHost
import XCTest

/// The schedule grammar's renderings: systemd calendars, cron fields, and cadang's crontab block.
final class ScheduleRenderingTests: XCTestCase {
    private func at(_ times: [String], _ days: [Weekday] = []) -> Schedule {
        .at(times.compactMap(TimeOfDay.init), days: days)
    }

    func testTimesOfDay() {
        XCTAssertEqual(TimeOfDay("9:05")?.text, "09:05")
        for bad in ["25:00", "12:60", "12", "12:5", "1a:00", "-1:00", "12:00:00", ""] { XCTAssertNil(TimeOfDay(bad), bad) }
    }

    func testSystemdCalendars() {
        let shop = at(["12:30", "21:30"], [.mon, .tue, .wed, .thu, .fri, .sat])
        XCTAssertEqual(SystemdTrigger(shop, zone: nil), .calendar(["Mon..Sat *-*-* 12:30:00", "Mon..Sat *-*-* 21:30:00"]))
        XCTAssertEqual(SystemdTrigger(at(["23:00"], [.mon, .wed, .fri]), zone: "Asia/Jakarta"), .calendar(["Mon,Wed,Fri *-*-* 23:00:00 Asia/Jakarta"]))
        XCTAssertEqual(SystemdTrigger(.every(seconds: 30), zone: nil), .calendar(["*-*-* *:*:00/30"]))
        XCTAssertEqual(SystemdTrigger(.every(seconds: 300), zone: nil), .calendar(["*-*-* *:00/5:00"]))
        XCTAssertEqual(SystemdTrigger(.every(seconds: 6 * 3600), zone: nil), .calendar(["*-*-* 00/6:00:00"]))
        XCTAssertEqual(SystemdTrigger(.every(seconds: 86_400), zone: nil), .calendar(["*-*-* 00:00:00"]))
        XCTAssertEqual(SystemdTrigger(.every(seconds: 420), zone: nil), .monotonic(seconds: 420))
        XCTAssertEqual(SystemdTrigger(.every(seconds: 45), zone: nil), .monotonic(seconds: 45))
    }

    func testCronFields() throws {
        XCTAssertEqual(try CronSchedule.fields(at(["21:30", "12:30"], [.mon, .tue, .wed, .thu, .fri, .sat]), job: "j"), ["30 12,21 * * 1-6"])
        XCTAssertEqual(try CronSchedule.fields(at(["23:00", "06:15"], [.sat, .sun]), job: "j"), ["0 23 * * 0,6", "15 6 * * 0,6"])
        XCTAssertEqual(try CronSchedule.fields(.every(seconds: 300), job: "j"), ["*/5 * * * *"])
        XCTAssertEqual(try CronSchedule.fields(.every(seconds: 6 * 3600), job: "j"), ["0 */6 * * *"])
        XCTAssertEqual(try CronSchedule.fields(.every(seconds: 86_400), job: "j"), ["0 0 * * *"])
        for seconds in [30, 45, 420] {
            XCTAssertThrowsError(try CronSchedule.fields(.every(seconds: seconds), job: "j")) { error in
                XCTAssertEqual((error as? CadangError)?.status, .usage)
            }
        }
    }

    func testTheCrontabBlockKeepsOtherLinesAndReplacesOnlyItsJobs() throws {
        let run = ScheduledRun(job: "auto", schedule: at(["23:00"]), executable: "/usr/bin/cadang", config: "/etc/cadang 1.yaml", zone: nil)
        var block = CronBlock()
        block.put(try CronBlock.entry(run, user: nil))
        let mine = "MAILTO=me\n0 5 * * * /home/me/own-job\n"
        let crontab = block.crontab(others: CronBlock.parse(mine).others, config: "/etc/cadang 1.yaml")
        XCTAssertTrue(crontab.hasPrefix(mine + "\n" + ScheduledRun.marker + "\n"), crontab)
        XCTAssertTrue(crontab.contains("\n0 23 * * * /usr/bin/cadang --config '/etc/cadang 1.yaml' run auto --lock-wait 30m --quiet\n"), crontab)
        var (others, found) = CronBlock.parse(crontab + "# added later\n")
        XCTAssertEqual(others, ["MAILTO=me", "0 5 * * * /home/me/own-job", "", "# added later"])
        XCTAssertEqual(found?.entries.map(\.job), ["auto"])
        found?.put(try CronBlock.entry(ScheduledRun(job: "auto", schedule: at(["22:00"]), executable: "/c", config: "/x", zone: nil), user: nil))
        XCTAssertEqual(found?.entries.count, 1)
        found?.remove(["auto"])
        XCTAssertEqual(found?.crontab(others: others, config: "/x"), "MAILTO=me\n0 5 * * * /home/me/own-job\n\n# added later\n")
        others = []
        XCTAssertEqual(CronBlock().crontab(others: others, config: "/x"), "")
    }

    func testExecStartWordsAreEscaped() {
        XCTAssertEqual(SystemdUnits.quoted("/opt/my cadang/bin"), "\"/opt/my cadang/bin\"")
        XCTAssertEqual(SystemdUnits.quoted("/a%b$c"), "/a%%b$$c")
        XCTAssertEqual(CronBlock.shellQuoted("/a%b"), "'/a\\%b'")
    }
}
