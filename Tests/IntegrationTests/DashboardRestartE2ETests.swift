import TestSupport
import Foundation
import Glibc
import Runtime
import TestSupport
import XCTest

/// Key `R` on a component stacktop started itself, end to end: the built binary in a tmux pane
/// on nginx → gunicorn, the front row selected, `R`; the new nginx read from the screen and
/// checked against /proc, the front door answering, and nothing of either session left after `q`.
final class DashboardRestartE2ETests: XCTestCase {
    static let topology = "nginx-gunicorn"

    func testRestartKeyStopsAndStartsNginxAndQuitLeavesNothing() throws {
        let tmux = try TmuxPane.start(exe: try DashboardE2ETests.executable(), args: [Self.topology], tag: "restart")
        defer { tmux.kill() }
        var screen = ""
        let ready = TestProject.eventually(timeoutMs: 60_000) {
            screen = tmux.capture()
            return ScreenText.rows(screen, component: "front", role: "front").count == 1
                && ScreenText.rows(screen, component: "front", role: "└worker").count >= 2
                && ScreenText.rows(screen, component: "app", role: "master").count == 1
        }
        XCTAssertTrue(ready, "no nginx and gunicorn rows after 60 s:\n\(screen)")
        guard ready else { return }
        let stacktop = try XCTUnwrap(tmux.stacktopPid(), "no stacktop process in the pane")
        let runDir = try XCTUnwrap(ProcScan.runDir(topology: Self.topology, pid: stacktop))
        let old = try XCTUnwrap(ScreenText.rows(screen, component: "front", role: "front").first)
        let oldWorkers = ScreenText.rows(screen, component: "front", role: "└worker")
        let gunicorn = try XCTUnwrap(ScreenText.rows(screen, component: "app", role: "master").first)
        XCTAssertEqual(ScreenText.selectedPid(screen), old, "the front row is selected at start")
        let url = ScreenText.line(screen, containing: "http://127.0.0.1:")?.split(separator: " ").first {
            $0.hasPrefix("http://")
        }
        let port = try XCTUnwrap(url.flatMap { IntegrationSupport.port(of: String($0)) }, "the header's URL")

        tmux.keys("R")
        var new: Int32?
        let restarted = TestProject.eventually(timeoutMs: 30_000) {
            screen = tmux.capture()
            new = ScreenText.rows(screen, component: "front", role: "front").first.flatMap { $0 == old ? nil : $0 }
            return new != nil && ScreenText.rows(screen, component: "front", role: "└worker").count >= 2
        }
        XCTAssertTrue(restarted, "no new nginx master on screen after R:\n\(screen)")
        guard restarted, let new else { return }
        XCTAssertNotNil(ScreenText.line(screen, containing: "hard restart (stop + start) → front"), screen)
        // /proc: the old nginx and its workers are gone; the new master leads its own session,
        // its workers are its children; gunicorn was not touched.
        XCTAssertFalse(ProcScan.isAlive(old))
        XCTAssertEqual(oldWorkers.filter(ProcScan.isAlive), [])
        XCTAssertTrue(ProcScan.isAlive(new))
        XCTAssertEqual(ProcScan.stat(new).flatMap { Int32($0[3]) }, new, "the new nginx leads its own session")
        XCTAssertTrue(ProcScan.commandLine(new).contains("nginx"), ProcScan.commandLine(new))
        let newWorkers = ScreenText.rows(screen, component: "front", role: "└worker")
        XCTAssertEqual(
            Set(newWorkers), ProcScan.liveChildren(of: new), "the screen's workers are the new master's children")
        XCTAssertTrue(ProcScan.isAlive(gunicorn), "gunicorn kept running")
        // The front door answers through the new nginx.
        let answer = LoopbackClient(timeoutMs: 5_000).get(host: "127.0.0.1", port: port, path: "/")
        XCTAssertEqual(answer?.status, 200)

        let (exited, status) = tmux.quit()
        XCTAssertTrue(exited, "stacktop still running 20 s after q")
        XCTAssertEqual(status, 0)
        XCTAssertEqual(([old, new, gunicorn] + oldWorkers + newWorkers).filter(ProcScan.isAlive), [], "left after q")
        XCTAssertEqual(ProcScan.processes(mentioning: runDir), [], "processes still using \(runDir)")
    }

    /// Nothing outlives stacktop after a restart in place: after `R` on waitress, a kill -9 of
    /// stacktop still takes the new waitress with it (its parent-death signal, and the reaper,
    /// which was told the new session before the fork).
    func testKillNineAfterARestartLeavesNothing() throws {
        let tmux = try TmuxPane.start(exe: try DashboardE2ETests.executable(), args: ["waitress"], tag: "restart9")
        defer { tmux.kill() }
        var screen = ""
        let ready = TestProject.eventually(timeoutMs: 60_000) {
            screen = tmux.capture()
            return ScreenText.rows(screen, component: "app", role: "worker").count == 1
        }
        XCTAssertTrue(ready, "no waitress row after 60 s:\n\(screen)")
        guard ready else { return }
        let stacktop = try XCTUnwrap(tmux.stacktopPid(), "no stacktop process in the pane")
        let old = try XCTUnwrap(ScreenText.rows(screen, component: "app", role: "worker").first)
        tmux.keys("R")
        var new: Int32?
        let restarted = TestProject.eventually(timeoutMs: 30_000) {
            screen = tmux.capture()
            new = ScreenText.rows(screen, component: "app", role: "worker").first.flatMap { $0 == old ? nil : $0 }
            return new != nil
        }
        XCTAssertTrue(restarted, "no new waitress on screen after R:\n\(screen)")
        guard restarted, let new else { return }
        XCTAssertFalse(ProcScan.isAlive(old))
        XCTAssertTrue(ProcScan.isAlive(new))
        XCTAssertEqual(ProcScan.parent(of: new), stacktop, "stacktop spawned the new waitress")
        Glibc.kill(stacktop, SIGKILL)
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 10_000) { !ProcScan.isAlive(new) },
            "the new waitress \(new) outlived a kill -9 of stacktop")
    }
}
