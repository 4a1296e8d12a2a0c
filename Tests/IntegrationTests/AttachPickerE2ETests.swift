import Foundation
import Glibc
import Runtime
import XCTest
import TestSupport

/// `stacktop attach` without a TARGET, in a tmux pane: the picker lists a deploy started by hand
/// on its `attach --list` line, Enter opens the dashboard on it (the nginx master's pid on screen
/// is the one in /proc), q detaches and every process of the deploy runs on with the same pid.
final class AttachPickerE2ETests: XCTestCase {
    func testPickAttachAndDetach() throws {
        let deploy = HandDeploy()
        defer { deploy.tearDown() }
        let port = try deploy.nginxGunicornUnderSupervisord()
        XCTAssert(deploy.waitUntilServing(port: port))
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { deploy.processes.count == 7 })
        let before = deploy.processes
        // The nginx master, from /proc: the nginx process whose parent is not nginx.
        let master = try XCTUnwrap(
            before.keys.first { pid in
                ProcScan.name(pid) == "nginx" && ProcScan.parent(of: pid).map { ProcScan.name($0) != "nginx" } == true
            })
        let tmux = try TmuxPane.start(exe: try DashboardE2ETests.executable(), args: ["attach"], tag: "attach-picker")
        defer { tmux.kill() }

        // The picker shows the deploy's line (others may be running on this machine too).
        let mine = "127.0.0.1:\(port)  nginx \(master) → gunicorn"
        var screen = ""
        let offered = TestProject.eventually(timeoutMs: 15_000) {
            screen = tmux.capture()
            return screen.contains("choose a running deploy to attach to") && screen.contains(mine)
        }
        if !offered { print("screen:\n" + tmux.capture(history: 100)) }
        XCTAssertTrue(offered, "the picker does not offer \(mine)")
        guard offered else { return }
        var moved = 0
        while ScreenText.line(tmux.capture(), containing: "▸")?.contains(mine) != true && moved < 60 {
            tmux.keys("Down")
            moved += 1
            Stopwatch.sleep(ms: 100)
        }
        XCTAssertEqual(ScreenText.line(tmux.capture(), containing: "▸")?.contains(mine), true, tmux.capture())

        // Enter attaches: the dashboard shows the chain, its nginx master the one /proc names.
        tmux.keys("Enter")
        let shown = TestProject.eventually(timeoutMs: 15_000) {
            screen = tmux.capture()
            return ScreenText.rows(screen, component: "nginx", role: "front") == [master]
                && ScreenText.rows(screen, component: "gunicorn", role: "└worker").count == 2
        }
        if !shown { print("screen:\n" + tmux.capture(history: 100)) }
        XCTAssertTrue(shown, "the dashboard on the chosen deploy does not show nginx master \(master)")

        // q detaches: stacktop exits 0 and the deploy runs on, same pids.
        let (exited, status) = tmux.quit()
        XCTAssertTrue(exited, "stacktop did not exit after q")
        XCTAssertEqual(status, 0)
        XCTAssertNotNil(ScreenText.line(tmux.capture(history: 50), containing: "stacktop: detached from"))
        XCTAssertEqual(deploy.processes, before, "the deploy's processes changed")
        XCTAssertEqual(LoopbackClient(timeoutMs: 3000).get(host: "127.0.0.1", port: port, path: "/")?.status, 200)
    }

    /// q in the picker quits at once, attaches to nothing and leaves the deploy as it was.
    func testQuitFromThePicker() throws {
        let deploy = HandDeploy()
        defer { deploy.tearDown() }
        let port = try deploy.nginxAlone()
        XCTAssert(deploy.waitUntilServing(port: port))
        let before = deploy.processes
        let tmux = try TmuxPane.start(exe: try DashboardE2ETests.executable(), args: ["attach"], tag: "attach-picker-q")
        defer { tmux.kill() }
        XCTAssert(
            TestProject.eventually(timeoutMs: 15_000) { tmux.capture().contains("127.0.0.1:\(port)  nginx") },
            tmux.capture())
        tmux.keys("Escape")
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { tmux.exitStatus() != nil }, tmux.capture())
        XCTAssertEqual(tmux.exitStatus(), 0)
        XCTAssertNotNil(ScreenText.line(tmux.capture(history: 50), containing: "nothing was attached"))
        XCTAssertEqual(deploy.processes, before)
    }
}
