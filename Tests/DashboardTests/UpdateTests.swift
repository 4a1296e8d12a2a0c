@testable import Dashboard
import StackModel
import Supervision
import XCTest

/// `update` turns keys into commands and timeline entries, and keeps the state consistent.
final class UpdateTests: XCTestCase {
    /// The running fixture with `pid` selected through the arrow keys.
    func running(selecting pid: Int32) -> DashboardState {
        var (state, _) = StackFixture.running(width: 80, height: 24)
        while state.selection?.pid != pid {
            let before = state.selectedRow
            _ = update(&state, .key(.down))
            if state.selectedRow == before { XCTFail("pid \(pid) not in the table"); break }
        }
        return state
    }

    func testSignalKeysOnTheSelectedWorker() {
        let cases: [(Character, Signal)] = [("K", .kill), ("k", .term), ("s", .stop), ("c", .cont)]
        for (key, signal) in cases {
            var state = running(selecting: 4311)
            let before = state.timeline.entries.count
            let commands = update(&state, .key(.char(key)))
            XCTAssertEqual(commands, [.signal(pid: 4311, signal, component: "app")], "key \(key)")
            XCTAssertEqual(state.timeline.entries.count, before + 1)
            XCTAssertEqual(state.timeline.entries.last?.text, "\(signal.name) → app worker 4311")
            XCTAssertEqual(state.timeline.entries.last?.pendingAction, signal.name)
        }
    }

    func testFaultEventConfirmsThePendingEntryInsteadOfAddingOne() {
        var state = running(selecting: 4311)
        _ = update(&state, .key(.char("K")))
        let count = state.timeline.entries.count
        _ = update(
            &state,
            .events([
                StackEvent(
                    tMs: 65_001, .fault(action: "SIGKILL", detail: ""), component: "app",
                    role: .worker, pid: 4311)
            ]))
        XCTAssertEqual(state.timeline.entries.count, count)
        XCTAssertNil(state.timeline.entries.last?.pendingAction)
    }

    func testAfterKillTheTimelineShowsExitAndReplacement() {
        let (state, commands) = StackFixture.afterWorkerKill(width: 80, height: 24)
        XCTAssertEqual(commands, [.signal(pid: 4311, .kill, component: "app")])
        let texts = state.timeline.entries.suffix(4).map(\.text)
        XCTAssertEqual(
            texts,
            [
                "SIGKILL → app worker 4311", "app worker 4311 killed by SIGKILL",
                "app worker 4313 spawned by 4310", "app worker 4311 → 4313 after 12 ms",
            ])
        XCTAssertEqual(state.rows.first { $0.pid == 4313 }?.restarts, 1)
        XCTAssertEqual(state.selection?.pid, 4312, "selection stays on a live row")
    }

    func testMasterAndFrontKills() {
        var state = running(selecting: 4312)
        XCTAssertEqual(update(&state, .key(.char("m"))), [.killMaster(component: "app", pid: 4310)])
        XCTAssertEqual(state.timeline.entries.last?.text, "SIGKILL → app master 4310")
        XCTAssertEqual(update(&state, .key(.char("f"))), [.killFront(component: "front", pid: 4301)])
        XCTAssertEqual(state.timeline.entries.last?.text, "SIGKILL → front 4301")
    }

    func testMasterKeyIsDisabledForTheSupervisor() {
        var state = running(selecting: 4300)
        XCTAssertEqual(update(&state, .key(.char("m"))), [])
        XCTAssertEqual(state.flash?.text, "m master: supervisor has no master")
    }

    func testQuit() {
        var state = running(selecting: 4311)
        XCTAssertEqual(update(&state, .key(.char("q"))), [.quit])
        XCTAssertTrue(state.quitting)
    }

    func testRateStepsAndClamps() {
        var state = running(selecting: 4311)
        XCTAssertEqual(update(&state, .key(.char("+"))), [.setRate(50)])
        XCTAssertEqual(update(&state, .key(.char("-"))), [.setRate(20)])
        for _ in 0..<20 { _ = update(&state, .key(.char("+"))) }
        XCTAssertEqual(state.rate, 10_000)
        XCTAssertEqual(update(&state, .key(.char("+"))), [], "no command past the maximum")
        XCTAssertEqual(state.rate, 10_000)
        for _ in 0..<20 { _ = update(&state, .key(.char("-"))) }
        XCTAssertEqual(state.rate, 1)
        XCTAssertEqual(update(&state, .key(.char("_"))), [], "no command below the minimum")
        XCTAssertEqual(state.rate, 1)
    }

    func testLoadToggle() {
        var state = running(selecting: 4311)
        XCTAssertTrue(state.loadOn)
        XCTAssertEqual(update(&state, .key(.char("l"))), [.setLoad(on: false)])
        XCTAssertEqual(update(&state, .key(.char("l"))), [.setLoad(on: true)])
    }

    func testConfigViewerAsksForMissingFiles() {
        var state = running(selecting: 4310)
        XCTAssertEqual(update(&state, .key(.char("v"))), [.openConfig(component: "app")])
        XCTAssertEqual(state.scope, .config)
        XCTAssertEqual(update(&state, .key(.char("q"))), [], "q closes the viewer, it does not quit")
        XCTAssertEqual(state.scope, .main)
        state = running(selecting: 4301)
        XCTAssertEqual(update(&state, .key(.char("v"))), [], "front's files are already there")
    }

    func testClickSelectsARow() {
        var state = running(selecting: 4300)
        let layout = Layout(state)
        _ = update(&state, .click(row: layout.processes.row + 2 + 5, col: 10))
        XCTAssertEqual(state.selection?.pid, 4311)
        _ = update(&state, .click(row: layout.timeline.row + 2, col: layout.timeline.col + 3))
        XCTAssertEqual(state.focus, .timeline)
    }

    func testPickerLaunchesOnlyRunnableStacks() {
        var state = StackFixture.picker(width: 80, height: 24)
        _ = update(&state, .key(.char("j")))
        XCTAssertEqual(update(&state, .key(.enter)), [], "lighttpd-flup is not runnable")
        XCTAssertEqual(state.screen, .picker)
        _ = update(&state, .key(.char("j")))
        XCTAssertEqual(update(&state, .key(.enter)), [.launch(StackFixture.topology)])
        XCTAssertEqual(state.screen, .stack)
        XCTAssertEqual(state.stackName, "nginx-gunicorn-supervisord")
    }

    func testRenderNeverFailsAtAnySize() {
        let (running, _) = StackFixture.running(width: 0, height: 0)
        for (w, h) in [(0, 0), (1, 1), (0, 5), (5, 0), (2, 1), (79, 24), (80, 23), (80, 24), (81, 25), (200, 60)] {
            var state = running
            _ = update(&state, .resize(width: w, height: h))
            for overlay in [
                nil, DashboardState.Overlay.help(scroll: 99), .config(component: "front", scroll: 5, column: 9),
            ] {
                state.overlay = overlay
                let grid = DashboardView.render(state)
                XCTAssertEqual(grid.lines.count, h)
                XCTAssertTrue(grid.lines.allSatisfy { TextWidth.of($0) == w }, "\(w)x\(h)")
            }
        }
        var tiny = running
        _ = update(&tiny, .resize(width: 79, height: 30))
        XCTAssertTrue(DashboardView.render(tiny).lines.joined().contains("terminal too small"))
    }
}
