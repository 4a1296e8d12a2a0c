import Dashboard
import StackRecipes
import Supervision
import XCTest

/// On a deploy stacktop attached to, a fault key sends nothing until `y` answers a prompt that
/// names the pid, role and signal; `--read-only` refuses it; `q` says it detaches.
final class AttachedModeTests: XCTestCase {
    /// The fixture's stack with worker 4311 selected, in `mode`.
    func selectedWorker(_ mode: AttachedMode?) -> DashboardState {
        var (state, _) = StackFixture.running(width: 120, height: 40)
        state.attached = mode
        for _ in 0..<5 { _ = update(&state, .key(.down)) }
        XCTAssertEqual(state.selection?.pid, 4311)
        return state
    }

    func testLaunchedStackSendsAtOnce() {
        var state = selectedWorker(nil)
        XCTAssertEqual(update(&state, .key(.char("K"))), [.signal(pid: 4311, .kill, component: "app")])
        XCTAssertNil(state.confirming)
    }

    func testAttachedFaultWaitsForYes() {
        var state = selectedWorker(AttachedMode(readOnly: false))
        XCTAssertEqual(update(&state, .key(.char("K"))), [])
        let prompt = try? XCTUnwrap(state.confirming?.prompt)
        XCTAssert(prompt?.contains("SIGKILL to app worker 4311") == true, prompt ?? "no prompt")
        let screen = DashboardView.render(state).lines.joined(separator: "\n")
        XCTAssert(screen.contains("send SIGKILL to app worker 4311 of a deploy stacktop did not launch?"), screen)
        XCTAssertEqual(update(&state, .key(.char("y"))), [.signal(pid: 4311, .kill, component: "app")])
        XCTAssertNil(state.confirming)
        XCTAssert(state.timeline.entries.contains { $0.text.contains("SIGKILL → app worker 4311") })
    }

    func testAnyOtherKeyCancels() {
        var state = selectedWorker(AttachedMode(readOnly: false))
        _ = update(&state, .key(.char("m")))
        XCTAssert(state.confirming?.prompt.contains("SIGKILL to app master 4310") == true)
        XCTAssertEqual(update(&state, .key(.char("K"))), [], "the key that cancels does nothing else")
        XCTAssertNil(state.confirming)
        XCTAssertEqual(state.flash?.text, "cancelled: nothing was sent")
    }

    func testReadOnlyRefuses() {
        var state = selectedWorker(AttachedMode(readOnly: true))
        XCTAssertEqual(update(&state, .key(.char("k"))), [])
        XCTAssertNil(state.confirming)
        XCTAssert(
            state.flash?.text.contains("read-only: SIGTERM to app worker 4311 not sent") == true,
            state.flash?.text ?? "")
    }

    func testQuitSaysDetach() {
        var state = selectedWorker(AttachedMode(readOnly: false))
        XCTAssert(DashboardView.render(state).lines.joined(separator: "\n").contains("q detach"))
        XCTAssertEqual(update(&state, .key(.char("q"))), [.quit])
        XCTAssert(state.timeline.entries.contains { $0.text.contains("detaching: the deploy keeps running") })
    }

    /// A worker's busy/idle sample shows in its STATE (as two words: "up" stays the first).
    func testBusyAndIdleInTheStateColumn() {
        var (state, _) = StackFixture.running(width: 120, height: 40)
        _ = update(
            &state,
            .usage([
                4311: UsageReading(cpuPercent: 3, rssBytes: 1 << 20, busy: true),
                4312: UsageReading(cpuPercent: 0, rssBytes: 1 << 20, busy: false),
                4310: UsageReading(cpuPercent: 0, rssBytes: 1 << 20),
            ]))
        XCTAssertEqual(state.rows.first { $0.pid == 4311 }?.stateLabel, "up busy")
        XCTAssertEqual(state.rows.first { $0.pid == 4312 }?.stateLabel, "up idle")
        XCTAssertEqual(state.rows.first { $0.pid == 4310 }?.stateLabel, "up")
    }
}
