import TestSupport
import Foundation
import TestSupport
import XCTest

/// Scaling uWSGI down, as ps shows it.
extension DeployDrillTests {
    /// nginx + uWSGI: the FIFO's `-` (manual cheaper mode) takes one of the two workers away
    /// within a cheaper check, as the master's `uWSGI worker` children in /proc show, and no
    /// request of the own client fails.
    func testNginxUWSGIScaleDownShowsInPs() throws {
        var seen = -1
        let o = try drill("nginx-uwsgi", "scale-down") { run in
            let master = try XCTUnwrap(run.spawned().first { $0.component == "app" && $0.role == "master" }?.pid)
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 8_000) {
                    seen = Self.children(of: master, marker: "uWSGI worker").count
                    return seen == 1
                }, "uWSGI master \(master) has \(seen) workers, want 1")
        }
        XCTAssertEqual(o.status, 0, o.run.stderr)
        XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter)")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }
}

/// Reloading the front server.
extension DeployDrillTests {
    /// nginx's HUP in front of uWSGI: new nginx workers replace the old ones under the same
    /// master (as /proc shows), and no request fails by the report, the own client or nginx's
    /// access log.
    func testNginxReloadFrontReplacesItsWorkersAndDropsNothing() throws {
        var before: Set<Int32> = []
        var after: Set<Int32> = []
        let o = try drill("nginx-uwsgi", "reload-front") { run in
            let master = try XCTUnwrap(run.spawned().first { $0.component == "front" && $0.role == "front" }?.pid)
            before = Set(
                run.spawned().filter { $0.component == "front" && $0.role == "worker" && $0.ppid == master }.map(\.pid))
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 8_000) {
                    after = Set(Self.children(of: master, marker: "worker process"))
                    return !after.isEmpty && after.isDisjoint(with: before)
                }, "nginx master \(master): workers before \(before), now \(after)")
        }
        XCTAssertEqual(o.status, 0, o.run.stderr)
        XCTAssertFalse(before.isEmpty)
        XCTAssertEqual(o.failed, 0, "\(o.report["failures"] ?? "")")
        XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter)")
        let statuses = DrillTruth.frontStatuses(
            log: o.runDir + "/logs/front.access.log", untilWall: DrillTruth.wallSeconds)
        XCTAssertEqual(DrillTruth.serverErrors(statuses), 0, "access log: \(statuses)")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }
}
