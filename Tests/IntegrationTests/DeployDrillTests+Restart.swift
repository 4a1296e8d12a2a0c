import TestSupport
import Foundation
import Glibc
import TestSupport
import XCTest
import Runtime

/// A plain restart (stop + start) of a server stacktop launched itself, not under supervisord.
extension DeployDrillTests {
    /// waitress under load: stacktop stops it and starts it again. The own client counts
    /// failed requests (the port is closed meanwhile); the new process is a new pid, alive,
    /// serving the own client, and watched (its exit at the stop is reported); after the
    /// drill nothing of the old or the new session is left.
    func testWaitressPlainRestartFailsRequestsAndTracksTheNewProcess() throws {
        var oldPid: Int32 = 0
        var newPid: Int32 = 0
        let o = try drill("waitress", "restart-app") { run in
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 15_000) {
                    run.lines("ready").filter { $0["component"] as? String == "app" }.count >= 2
                }, "a second ready for app: \(run.stderr)")
            let roots = run.lines("starting").filter { $0["component"] as? String == "app" }.compactMap {
                ($0["pid"] as? Int).map(Int32.init)
            }
            XCTAssertEqual(roots.count, 2, "two starts of app: \(roots)")
            oldPid = roots.first ?? 0
            newPid = roots.last ?? 0
            XCTAssertNotEqual(oldPid, newPid)
            XCTAssertTrue(DrillTruth.isGone(oldPid), "the old waitress \(oldPid) is gone")
            XCTAssertFalse(DrillTruth.isGone(newPid), "the new waitress \(newPid) is alive")
            // stacktop's watcher took the new process on: its spawned event names it.
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 5_000) {
                    run.spawned().contains { $0.pid == newPid && $0.component == "app" }
                }, "spawned for the new pid \(newPid)")
        }
        XCTAssertEqual(o.status, 0, o.run.stderr)
        // The client's own counts: requests failed during the restart, and the new pid served it.
        XCTAssertGreaterThan(o.ownFailedAfter.count, 0, "own client saw the restart's outage")
        XCTAssertTrue(
            o.ownFailedAfter.allSatisfy { $0.endMs < o.faultOwnMs + 5_000 }, "failures only around the restart")
        XCTAssertTrue(
            o.own.contains { $0.workerPid == newPid && $0.status == 200 },
            "the new waitress \(newPid) answered the own client")
        XCTAssertTrue(o.own.contains { $0.workerPid == oldPid && $0.status == 200 }, "the old one did before")
        XCTAssertGreaterThan(o.failed, 0, "the report counts failures too: \(o.report)")
        XCTAssertEqual(o.deploy["command_failed"] as? Bool, false, "\(o.deploy)")
        // The new root was reported exiting at the stop (the watcher followed it to the end),
        // and no process of either session is left.
        XCTAssertTrue(
            o.run.lines("exited").contains { ($0["pid"] as? Int).map(Int32.init) == newPid },
            "exit of \(newPid) reported")
        for sid in [oldPid, newPid] {
            XCTAssertEqual(IntegrationSupport.survivors([sid]).map(\.pid), [], "session \(sid) is empty")
        }
        try? FileManager.default.removeItem(atPath: o.runDir)
    }

    /// gunicorn behind nginx, started by stacktop: stop + start is an outage nginx answers with
    /// 502; the report, the own client and nginx's access log count the same 502s (within a few
    /// at the window's edges), and the new gunicorn master is a new pid.
    func testNginxGunicornPlainRestartGives502sTheAccessLogCounts() throws {
        let o = try drill("nginx-gunicorn", "restart-app")
        XCTAssertEqual(o.status, 0, o.run.stderr)
        let masters = o.run.lines("starting").filter { $0["component"] as? String == "app" }.compactMap {
            $0["pid"] as? Int
        }
        XCTAssertEqual(masters.count, 2, "gunicorn started twice: \(masters)")
        XCTAssertNotEqual(masters.first, masters.last)
        let statuses = DrillTruth.frontStatuses(
            log: o.runDir + "/logs/front.access.log", untilWall: DrillTruth.wallSeconds)
        let report5xx = DrillRunProcess.counts(o.report["failures"]).filter { (Int($0.key) ?? 0) >= 500 }.values.reduce(
            0, +)
        let own5xx = o.ownFailedAfter.filter { ($0.status ?? 0) >= 500 }.count
        XCTAssertGreaterThan(own5xx, 0, "own client saw 502s: \(o.ownFailedAfter)")
        XCTAssertGreaterThan(report5xx, 0)
        XCTAssertLessThanOrEqual(
            abs(DrillTruth.serverErrors(statuses) - (report5xx + own5xx)), max(3, (report5xx + own5xx) / 10),
            "access log 5xx \(statuses) vs report \(report5xx) + own \(own5xx)")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }

    /// gunicorn's HUP behind nginx (no supervisord): not one failed request, by the report, the
    /// own client and nginx's access log.
    func testNginxGunicornReloadDropsNothing() throws {
        let o = try drill("nginx-gunicorn", "reload-app")
        XCTAssertEqual(o.status, 0, o.run.stderr)
        XCTAssertEqual(o.failed, 0, "\(o.report["failures"] ?? "")")
        XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter)")
        let statuses = DrillTruth.frontStatuses(
            log: o.runDir + "/logs/front.access.log", untilWall: DrillTruth.wallSeconds)
        XCTAssertEqual(DrillTruth.serverErrors(statuses), 0, "access log: \(statuses)")
        XCTAssertGreaterThan(statuses[200, default: 0], 100)
        try? FileManager.default.removeItem(atPath: o.runDir)
    }
}
