import Foundation
import Glibc
import Runtime
import XCTest
import TestSupport

/// A drill from the dashboard, end to end: the built binary in a tmux pane at 120×40 on
/// nginx → gunicorn under supervisord, `d`, kill-worker, Enter; the report read from the
/// screen and checked against /proc.
final class DashboardDrillE2ETests: XCTestCase {
    static let topology = "nginx-gunicorn-supervisord"

    /// The report lands in the timeline and says recovered; the worker it names as killed is
    /// gone and its replacement is a live child of the gunicorn master; a second `d` during the
    /// drill is refused; `q` afterwards leaves nothing running.
    func testKillWorkerDrillFromTheMenu() throws {
        let tmux = try TmuxPane.start(exe: try DashboardE2ETests.executable(), args: [Self.topology], tag: "drill")
        defer { tmux.kill() }

        var screen = ""
        let ready = TestProject.eventually(timeoutMs: 60_000) {
            screen = tmux.capture()
            return ScreenText.rows(screen, component: "app", role: "└worker").count >= 2
                && ScreenText.rows(screen, component: "app", role: "master").count == 1
        }
        XCTAssertTrue(ready, "no worker table with two app workers after 60 s:\n\(screen)")
        guard ready else { return }
        let stacktop = try XCTUnwrap(tmux.stacktopPid(), "no stacktop process in the pane")
        let runDir = try XCTUnwrap(ProcScan.runDir(topology: Self.topology, pid: stacktop), "no run dir of \(stacktop)")
        let master = try XCTUnwrap(ScreenText.rows(screen, component: "app", role: "master").first)
        let workers = ScreenText.rows(screen, component: "app", role: "└worker")
        XCTAssertEqual(
            Set(workers), ProcScan.liveChildren(of: master), "the screen's workers are the master's children")

        // d: the menu, kill-worker selected (moving to it if needed), Enter.
        tmux.keys("d")
        let menu = TestProject.eventually(timeoutMs: 15_000) {
            screen = tmux.capture()
            return DrillScreen.selectedScenario(screen) != nil && screen.contains("runs here")
        }
        XCTAssertTrue(menu, "no drill menu after d:\n\(screen)")
        var moves = 0
        while DrillScreen.selectedScenario(tmux.capture()) != "kill-worker" && moves < 12 {
            tmux.keys(moves < 6 ? "Up" : "Down")
            moves += 1
            Stopwatch.sleep(ms: 150)
        }
        XCTAssertEqual(DrillScreen.selectedScenario(tmux.capture()), "kill-worker")
        // The name column is as wide as the longest scenario name: match the words, not the gap.
        XCTAssertTrue(
            tmux.capture().split(separator: "\n").contains { line in
                line.contains("kill-worker ") && line.contains(" runs here")
            }, "kill-worker is not shown as running here")
        tmux.keys("Enter")

        // Running: the header shows it; a second d is refused while it runs. (Starting the load
        // generator takes a moment; seconds on a busy machine.)
        let running = TestProject.eventually(timeoutMs: 20_000) {
            screen = tmux.capture()
            let header = screen.split(separator: "\n").first ?? ""
            return header.contains("drill kill-worker · ") && !header.contains("· starting ·")
        }
        XCTAssertTrue(running, "the header does not show the drill's phase:\n\(screen)")
        tmux.keys("d")
        let refused = TestProject.eventually(timeoutMs: 3_000) {
            tmux.capture().contains("kill-worker is running — one drill at a time")
        }
        XCTAssertTrue(refused, "a second d was not refused")

        // The report: head and lines in the timeline, the summary in the footer.
        var head: String?
        var replaced: (old: Int32, new: Int32)?
        let pressed = Date()
        let reported = TestProject.eventually(timeoutMs: 60_000) {
            screen = tmux.capture()
            head = ScreenText.line(screen, containing: "┌ drill kill-worker: ")
            replaced = DrillScreen.replacement(screen)
            if head == nil { Stopwatch.sleep(ms: 200) }
            return head != nil && replaced != nil
        }
        XCTAssertTrue(reported, "no drill report with a replacement in the timeline:\n\(screen)")
        guard reported, let head, let replaced else { return }
        print(
            "dashboard drill e2e: report \(Int(Date().timeIntervalSince(pressed) * 1000)) ms after Enter: "
                + head.split(separator: "┌").last.map(String.init)!)
        XCTAssertTrue(head.contains("drill kill-worker: recovered in "), head)
        XCTAssertNotNil(ScreenText.line(screen, containing: "orphans    none"), "the report's last line:\n\(screen)")
        XCTAssertEqual(
            screen.split(separator: "\n").last.map { $0.contains("drill kill-worker: recovered in") }, true,
            "the summary shows in the footer:\n\(screen)")
        XCTAssertFalse(
            screen.split(separator: "\n").first?.contains("drill kill-worker ·") ?? true,
            "the header still shows a running drill")

        // Independent truth: the killed worker was one of the master's, it is gone, and the
        // replacement the report names is a live child of the same master.
        XCTAssertTrue(workers.contains(replaced.old), "report's killed pid \(replaced.old) was not a worker \(workers)")
        XCTAssertFalse(ProcScan.isAlive(replaced.old), "killed worker \(replaced.old) still alive")
        XCTAssertTrue(ProcScan.isAlive(replaced.new), "replacement \(replaced.new) is not alive")
        XCTAssertEqual(
            ProcScan.parent(of: replaced.new), master, "replacement \(replaced.new) is not a child of \(master)")
        XCTAssertTrue(ProcScan.commandLine(replaced.new).contains("gunicorn"), "replacement is not gunicorn")

        // The next key clears the summary; q stops everything.
        tmux.keys("Down")
        let cleared = TestProject.eventually(timeoutMs: 10_000) {
            tmux.capture().split(separator: "\n").last?.contains("d drill") ?? false
        }
        XCTAssertTrue(cleared, "the footer's keys are back after a key")
        let (exited, status) = tmux.quit()
        XCTAssertTrue(exited, "stacktop still running 20 s after q")
        XCTAssertEqual(status, 0, "stacktop's exit status")
        let everyone = [master, replaced.new] + workers
        XCTAssertEqual(everyone.filter(ProcScan.isAlive), [], "processes of the stack still alive after q")
        XCTAssertEqual(ProcScan.processes(mentioning: runDir), [], "processes still using \(runDir)")
        XCTAssertFalse(ProcScan.isAlive(stacktop))
    }

    /// q while stop-worker holds a worker frozen (per the table and /proc): stacktop ends the
    /// drill, stops the stack, exits 0, and nothing of the stack is left, frozen or not.
    func testQuitDuringAStopWorkerDrillLeavesNothing() throws {
        let tmux = try TmuxPane.start(exe: try DashboardE2ETests.executable(), args: [Self.topology], tag: "drill-quit")
        defer { tmux.kill() }
        var screen = ""
        let ready = TestProject.eventually(timeoutMs: 60_000) {
            screen = tmux.capture()
            return ScreenText.rows(screen, component: "app", role: "└worker").count >= 2
        }
        XCTAssertTrue(ready, "no worker table with two app workers after 60 s:\n\(screen)")
        guard ready else { return }
        let stacktop = try XCTUnwrap(tmux.stacktopPid(), "no stacktop process in the pane")
        let runDir = try XCTUnwrap(ProcScan.runDir(topology: Self.topology, pid: stacktop), "no run dir of \(stacktop)")
        let workers = ScreenText.rows(screen, component: "app", role: "└worker")

        tmux.keys("d")
        _ = TestProject.eventually(timeoutMs: 15_000) { DrillScreen.selectedScenario(tmux.capture()) != nil }
        var moves = 0
        while DrillScreen.selectedScenario(tmux.capture()) != "stop-worker" && moves < 12 {
            tmux.keys("Down")
            moves += 1
            Stopwatch.sleep(ms: 150)
        }
        XCTAssertEqual(DrillScreen.selectedScenario(tmux.capture()), "stop-worker")
        tmux.keys("Enter")
        var frozen: Int32?
        let stopped = TestProject.eventually(timeoutMs: 30_000) {
            screen = tmux.capture()
            frozen = DrillScreen.frozenWorker(screen)
            if frozen == nil { Stopwatch.sleep(ms: 100) }
            return frozen != nil && screen.contains("drill stop-worker · waiting for recovery")
        }
        XCTAssertTrue(stopped, "no frozen worker while stop-worker runs:\n\(screen)")
        guard stopped, let frozen else { return }
        XCTAssertTrue(workers.contains(frozen), "frozen \(frozen) was not one of the workers \(workers)")
        XCTAssertEqual(ProcScan.stat(frozen)?.first, "T", "worker \(frozen) is not stopped per /proc")

        let (exited, status) = tmux.quit()
        XCTAssertTrue(exited, "stacktop still running 20 s after q")
        XCTAssertEqual(status, 0, "stacktop's exit status")
        XCTAssertFalse(ProcScan.isAlive(frozen), "the frozen worker \(frozen) outlived the stack")
        XCTAssertEqual(ProcScan.processes(mentioning: runDir), [], "processes still using \(runDir)")
        XCTAssertFalse(ProcScan.isAlive(stacktop))
    }
}

/// Reads the drill menu and report off the screen.
enum DrillScreen {
    /// The scenario on the menu's selected row ("│▸kill-worker   runs here").
    static func selectedScenario(_ screen: String) -> String? {
        guard let line = ScreenText.line(screen, containing: "│▸"), let mark = line.range(of: "│▸") else { return nil }
        return line[mark.upperBound...].split(separator: " ").first.map(String.init)
    }

    /// The app worker the table shows as frozen.
    static func frozenWorker(_ screen: String) -> Int32? {
        screen.split(separator: "\n").lazy.compactMap { line -> Int32? in
            let words = line.dropFirst().split(separator: " ")
            guard words.count >= 4, words[0] == "app", words[1] == "└worker", words[3] == "frozen" else { return nil }
            return Int32(words[2])
        }.first
    }

    /// The first "replaced … worker OLD -> NEW" of a report on screen.
    static func replacement(_ screen: String) -> (old: Int32, new: Int32)? {
        guard let line = ScreenText.line(screen, containing: "  replaced   "),
            let arrow = line.range(of: " -> ")
        else { return nil }
        let old = line[..<arrow.lowerBound].split(separator: " ").last.flatMap { Int32($0) }
        let new = Int32(line[arrow.upperBound...].prefix { $0.isNumber })
        guard let old, let new else { return nil }
        return (old, new)
    }
}
