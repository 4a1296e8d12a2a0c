import Foundation
import Glibc
import Runtime
import XCTest
import TestSupport

/// The dashboard on a deploy started by hand, in a tmux pane: the whole chain on screen, K asks
/// first (any other key cancels, y sends), the worker killed is replaced by its own master, and
/// q detaches leaving every process of the deploy running with the same pid.
final class AttachDashboardE2ETests: XCTestCase {
    func testConfirmKillAndDetach() throws {
        let deploy = HandDeploy()
        defer { deploy.tearDown() }
        let port = try deploy.nginxGunicornUnderSupervisord()
        XCTAssert(deploy.waitUntilServing(port: port))
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { deploy.processes.count == 7 })
        let before = deploy.processes
        let tmux = try TmuxPane.start(
            exe: try DashboardE2ETests.executable(), args: ["attach", ":\(port)"], tag: "attach")
        defer { tmux.kill() }

        var screen = ""
        let shown = TestProject.eventually(timeoutMs: 15_000) {
            screen = tmux.capture()
            return ScreenText.rows(screen, component: "gunicorn", role: "└worker").count == 2
                && ScreenText.rows(screen, component: "nginx", role: "└worker").count == 2
                && ScreenText.rows(screen, component: "supervisord", role: "supervisor").count == 1
        }
        if !shown {
            print(
                "screen:\n" + tmux.capture(history: 100) + "\nstderr/status: \(String(describing: tmux.exitStatus()))")
        }
        XCTAssertTrue(shown, "the chain is not on screen")
        guard shown else { return }
        let onScreen = Set(
            ["supervisord:supervisor", "nginx:front", "nginx:└worker", "gunicorn:master", "gunicorn:└worker"]
                .flatMap { key -> [Int32] in
                    let p = key.split(separator: ":")
                    return ScreenText.rows(screen, component: String(p[0]), role: String(p[1]))
                })
        XCTAssertEqual(onScreen, Set(before.keys), "the pids on screen are the deploy's")

        let victim = ScreenText.rows(screen, component: "gunicorn", role: "└worker")[0]
        var moved = 0
        while ScreenText.selectedPid(tmux.capture()) != victim && moved < 12 {
            tmux.keys("Down")
            moved += 1
            Stopwatch.sleep(ms: 150)
        }
        XCTAssertEqual(ScreenText.selectedPid(tmux.capture()), victim)
        // K asks; n cancels and nothing is sent.
        tmux.keys("K")
        XCTAssert(
            TestProject.eventually(timeoutMs: 3_000) {
                tmux.capture().contains(
                    "send SIGKILL to gunicorn worker \(victim) of a deploy stacktop did not launch?")
            }, tmux.capture())
        tmux.keys("n")
        XCTAssert(TestProject.eventually(timeoutMs: 3_000) { tmux.capture().contains("cancelled: nothing was sent") })
        Stopwatch.sleep(ms: 300)
        XCTAssertTrue(ProcScan.isAlive(victim), "a cancelled kill must send nothing")
        // K again, y sends: the worker dies and its master replaces it.
        tmux.keys("K")
        XCTAssert(
            TestProject.eventually(timeoutMs: 3_000) {
                tmux.capture().contains("send SIGKILL to gunicorn worker \(victim)")
            })
        tmux.keys("y")
        var replacement: Int32?
        XCTAssert(
            TestProject.eventually(timeoutMs: 5_000) {
                screen = tmux.capture()
                replacement = ScreenText.replacement(screen, of: victim)
                return replacement != nil
            }, "no replacement of \(victim):\n\(screen)")
        let master = try XCTUnwrap(ScreenText.rows(screen, component: "gunicorn", role: "master").first)
        if let replacement { XCTAssertEqual(ProcScan.parent(of: replacement), master) }

        // q detaches: stacktop exits 0 and the deploy runs on, same pids.
        let (exited, status) = tmux.quit()
        XCTAssertTrue(exited, "stacktop did not exit after q")
        XCTAssertEqual(status, 0)
        XCTAssertNotNil(ScreenText.line(tmux.capture(history: 50), containing: "stacktop: detached from"))
        let after = deploy.processes
        for (pid, start) in before where pid != victim {
            XCTAssertEqual(after[pid], start, "pid \(pid) of the deploy did not survive the detach")
        }
        XCTAssertEqual(after.count, before.count)
        XCTAssertEqual(LoopbackClient(timeoutMs: 3000).get(host: "127.0.0.1", port: port, path: "/")?.status, 200)
    }
}
