import Foundation
import Glibc
import Runtime
import XCTest
import TestSupport

/// The dashboard end to end: the built binary in a detached tmux pane at 120×40 on a real
/// nginx → gunicorn stack, read from the screen and checked against /proc.
final class DashboardE2ETests: XCTestCase {
    static let topology = "nginx-gunicorn"

    /// Workers on screen are gunicorn's children; K on one shows its exit and the replacement
    /// (also a live child of the master) within ~2 s; q leaves nothing running.
    func testKillAWorkerFromTheKeyboardAndQuit() throws {
        let tmux = try TmuxPane.start(exe: try Self.executable(), args: [Self.topology])
        defer { tmux.kill() }

        // The worker table with both app workers up.
        var screen = ""
        let ready = TestProject.eventually(timeoutMs: 30_000) {
            screen = tmux.capture()
            return ScreenText.rows(screen, component: "app", role: "└worker").count >= 2
                && ScreenText.rows(screen, component: "app", role: "master").count == 1
        }
        XCTAssertTrue(ready, "no worker table with two app workers after 30 s:\n\(screen)")
        guard ready else { return }
        let stacktop = try XCTUnwrap(tmux.stacktopPid(), "no stacktop process in the pane")
        let runDir = try XCTUnwrap(
            ProcScan.runDir(topology: Self.topology, pid: stacktop), "no run dir of pid \(stacktop)")
        let master = try XCTUnwrap(ScreenText.rows(screen, component: "app", role: "master").first)
        let workers = ScreenText.rows(screen, component: "app", role: "└worker")
        let front =
            ScreenText.rows(screen, component: "front", role: "front")
            + ScreenText.rows(screen, component: "front", role: "└worker")
        XCTAssertTrue(ProcScan.commandLine(master).contains("gunicorn"), "pid \(master) on screen is not gunicorn")
        XCTAssertEqual(
            Set(workers), ProcScan.liveChildren(of: master), "the screen's workers are the master's children")

        // Select the first worker with the arrows, then K.
        let victim = workers[0]
        var moved = 0
        while ScreenText.selectedPid(tmux.capture()) != victim && moved < 12 {
            tmux.keys("Down")
            moved += 1
            _ = TestProject.eventually(timeoutMs: 1_000) { ScreenText.selectedPid(tmux.capture()) != nil }
            Stopwatch.sleep(ms: 150)
        }
        XCTAssertEqual(ScreenText.selectedPid(tmux.capture()), victim, "could not select worker \(victim)")
        tmux.keys("K")
        let pressed = Date()
        var replacement: Int32?
        var exitLine: String?
        let seen = TestProject.eventually(timeoutMs: 2_500) {
            screen = tmux.capture()
            exitLine =
                ScreenText.line(screen, containing: "app worker \(victim) killed by SIGKILL")
                ?? ScreenText.line(screen, containing: "app worker \(victim) exited")
            replacement = ScreenText.replacement(screen, of: victim)
            return exitLine != nil && replacement != nil
        }
        let seconds = Date().timeIntervalSince(pressed)
        XCTAssertTrue(seen, "no exit and replacement of \(victim) on screen 2.5 s after K:\n\(screen)")
        XCTAssertNotNil(
            ScreenText.line(screen, containing: "SIGKILL → app worker \(victim)"), "the fault is on the timeline")
        XCTAssertNil(ScreenText.line(screen, containing: "SIGKILL → app worker \(victim) …"), "the fault was confirmed")
        let newPid = try XCTUnwrap(replacement)
        XCTAssertTrue(ProcScan.isAlive(newPid), "replacement \(newPid) is not alive")
        XCTAssertEqual(ProcScan.parent(of: newPid), master, "replacement \(newPid) is not a child of master \(master)")
        XCTAssertFalse(ProcScan.liveChildren(of: master).contains(victim), "\(victim) survived SIGKILL")
        print("dashboard e2e: exit and replacement \(victim) → \(newPid) on screen \(Int(seconds * 1000)) ms after K")

        // q stops the stack and stacktop exits; nothing of the stack remains.
        tmux.keys("q")
        let exited = TestProject.eventually(timeoutMs: 20_000) { tmux.paneDead() }
        XCTAssertTrue(exited, "stacktop still running 20 s after q")
        // The last lines may have scrolled off the screen when the alternate screen closed:
        // read the scrollback too.
        var status: Int?
        var last = ""
        _ = TestProject.eventually(timeoutMs: 3_000) {
            last = tmux.capture(history: 200)
            status = tmux.exitStatus()
            return status != nil && ScreenText.line(last, containing: "stacktop: \(Self.topology) stopped in ") != nil
        }
        XCTAssertEqual(status, 0, "stacktop's exit status")
        XCTAssertNotNil(
            ScreenText.line(last, containing: "stacktop: \(Self.topology) stopped in "),
            "the last line says the stack stopped:\n\(last)")
        let everyone = [master, newPid] + workers + front
        XCTAssertEqual(everyone.filter(ProcScan.isAlive), [], "processes of the stack still alive after q")
        XCTAssertEqual(ProcScan.processes(mentioning: runDir), [], "processes still using \(runDir)")
        XCTAssertFalse(ProcScan.isAlive(stacktop))
    }

    /// Without a terminal the dashboard refuses with status 2, names `stacktop up`, launches nothing.
    func testWithoutATerminalItExitsWithStatus2() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = [Self.topology]
        process.currentDirectoryURL = URL(fileURLWithPath: TestProject.root)
        process.standardInput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2)
        XCTAssertTrue(message.contains("stacktop up \(Self.topology)"), message)
        XCTAssertTrue(message.contains("needs a terminal"), message)
        XCTAssertNil(ProcScan.runDir(topology: Self.topology, pid: process.processIdentifier), "a run dir was made")
    }

    static func executable() throws -> String {
        try XCTUnwrap(TestProject.stacktopExecutable, "build stacktop first (swift build)")
    }
}
