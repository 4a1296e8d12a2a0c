@testable import Dashboard
import StackModel
import Supervision
import XCTest

/// The messages the wiring sends about the stack's life: launch progress, load availability, stop signals.
final class LifecycleTests: XCTestCase {
    let url = StackFixture.url

    func launching() -> DashboardState {
        var state = DashboardState(topology: StackFixture.topology, width: 120, height: 40)
        _ = update(
            &state,
            .events([
                StackEvent(tMs: 0, .stack(topology: "nginx-gunicorn-supervisord", runDir: "/tmp/r", url: url)),
                StackEvent(tMs: 2, .starting(argv: ["/usr/bin/supervisord"]), component: "supervisor", pid: 4300),
            ]))
        return state
    }

    func header(_ state: DashboardState) -> String { DashboardView.render(state).lines[0] }

    func testLaunchProgressInTheHeaderAndBoxes() {
        var state = launching()
        XCTAssertTrue(state.isLaunching)
        XCTAssertTrue(header(state).contains("launching… 0/3 ready"), header(state))
        var screen = DashboardView.render(state).lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("◌ starting…"), "the supervisor is starting")
        XCTAssertTrue(screen.contains("· waiting"), "front and app wait their turn")
        _ = update(
            &state,
            .events([
                StackEvent(tMs: 700, .ready(afterMs: 698), component: "supervisor", pid: 4300),
                StackEvent(tMs: 701, .starting(argv: []), component: "app"),
                StackEvent(tMs: 1_400, .ready(afterMs: 699), component: "app", pid: 4310),
            ]))
        XCTAssertTrue(header(state).contains("launching… 2/3 ready"), header(state))
        screen = DashboardView.render(state).lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("● ready in 699 ms"), screen)
        _ = update(&state, .events([StackEvent(tMs: 1_500, .ready(afterMs: 90), component: "front", pid: 4301)]))
        _ = update(&state, .tick(nowMs: 2_000))
        XCTAssertFalse(state.isLaunching)
        XCTAssertTrue(header(state).contains("up 00:02"), header(state))
    }

    func testLiveRootsCountAsLaunched() {
        // The running fixture saw only two ready events, but every component has a live root.
        let (state, _) = StackFixture.running(width: 120, height: 40)
        XCTAssertFalse(state.isLaunching)
    }

    func testLaunchFailureAndStop() {
        var state = launching()
        _ = update(
            &state,
            .events([
                StackEvent(
                    tMs: 900, .error(message: "supervisor did not get ready in 20000 ms", logTail: ["boom"]),
                    component: "supervisor")
            ]))
        XCTAssertEqual(state.launch.failure, "supervisor did not get ready in 20000 ms")
        XCTAssertFalse(state.isLaunching)
        XCTAssertTrue(header(state).contains("launch failed"), header(state))
        XCTAssertTrue(DashboardView.render(state).lines.joined().contains("✖ failed to start"))
        _ = update(&state, .events([StackEvent(tMs: 950, .stopped(clean: true, detail: ""))]))
        XCTAssertTrue(header(state).contains("stopped"), header(state))
    }

    func testAnErrorAfterTheLaunchIsNotALaunchFailure() {
        var (state, _) = StackFixture.running(width: 120, height: 40)
        _ = update(&state, .events([StackEvent(tMs: 70_000, .error(message: "probe failed", logTail: []))]))
        XCTAssertNil(state.launch.failure)
    }

    func testLoadKeysSayWhyTheyCannotAct() {
        var (state, _) = StackFixture.running(width: 120, height: 40)
        XCTAssertTrue(state.loadOn)
        _ = update(&state, .loadUnavailable("load generator not wired"))
        XCTAssertFalse(state.loadOn, "no load is claimed once the generator is unavailable")
        for key: Character in ["l", "+", "-"] {
            let before = state.timeline.entries.count
            XCTAssertEqual(update(&state, .key(.char(key))), [], "key \(key)")
            XCTAssertEqual(state.timeline.entries.count, before, "nothing pretends to have happened")
            XCTAssertTrue(state.flash?.text.hasSuffix(": load generator not wired") ?? false, state.flash?.text ?? "")
        }
        XCTAssertTrue(
            HelpView.lines(state, width: 100).contains { $0.text.contains("(now: load generator not wired)") })
        _ = update(&state, .loadUnavailable(nil))
        XCTAssertEqual(update(&state, .key(.char("l"))), [.setLoad(on: true)])
    }

    func testAStopSignalQuitsOnce() {
        var (state, _) = StackFixture.running(width: 120, height: 40)
        _ = update(&state, .key(.char("?")))
        XCTAssertEqual(update(&state, .interrupted(signal: "SIGTERM")), [.quit])
        XCTAssertNil(state.overlay, "the overlay closes so the stop is visible")
        XCTAssertTrue(state.quitting)
        XCTAssertEqual(state.timeline.entries.last?.text, "SIGTERM received: stopping the stack")
        XCTAssertTrue(header(state).contains("stopping…"))
        XCTAssertEqual(update(&state, .interrupted(signal: "SIGINT")), [])
    }
}
