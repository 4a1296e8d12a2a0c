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
            XCTAssertTrue(TestProject.eventually(timeoutMs: 8_000) {
                seen = Self.children(of: master, marker: "uWSGI worker").count
                return seen == 1
            }, "uWSGI master \(master) has \(seen) workers, want 1")
        }
        XCTAssertEqual(o.status, 0, o.run.stderr)
        XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter)")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }
}
