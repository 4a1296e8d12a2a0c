import Dashboard
import StackModel
import Supervision

/// The drill menu and a finished drill's outcome as the wiring sends them, on the running fixture.
enum DrillFixture {
    static let menu = [
        DrillMenuItem(
            name: "kill-worker",
            description: "SIGKILL one worker of the app server under load; its "
                + "master should spawn a replacement and the client should see few or no errors."),
        DrillMenuItem(
            name: "kill-all-workers",
            description: "SIGKILL every worker of the app server at once: "
                + "watch how long the master takes to refill every slot."),
        DrillMenuItem(
            name: "kill-master",
            description: "SIGKILL the app server's master; without a supervisor "
                + "nothing brings it back."),
        DrillMenuItem(
            name: "kill-supervisor",
            description: "SIGKILL supervisord: what it runs keeps serving as "
                + "orphans.", refusal: "the app's front door is not behind supervisord here"),
        DrillMenuItem(
            name: "crash-loop",
            description: "The app starts failing to import, then its workers are "
                + "killed: the master cannot boot new ones.", refusal: "needs the demo app"),
    ]

    /// `DrillReport.textLines` without its headline (unwrapped: the timeline wraps them).
    static let reportLines = [
        "  target     app worker 1 (pid 4311): SIGKILL one gunicorn worker of app; supervisor (supervisord) "
            + "restarts the component if it dies",
        "  fault      at 68001 ms after launch, load 20 req/s",
        "  exit       detected +3 ms",
        "  replaced   +12 ms: app worker 4311 -> 4313, first served +180 ms",
        "  served     first request answered by a new process +180 ms",
        "  failures   1 of 84 requests: 1× 502, at +2 ms",
        "  slowest    57 ms from schedule to answer",
        "  recovered  +180 ms (then no failed request for 1000 ms)",
        "  orphans    none",
    ]

    static let outcome = DrillOutcome(
        scenario: "kill-worker", verdict: .recovered,
        summary: "recovered in 180 ms · 1 failed (502×1)", lines: reportLines)

    /// The running fixture with the menu open and its scenarios received.
    static func menuOpen(width: Int, height: Int) -> DashboardState {
        var (state, _) = StackFixture.running(width: width, height: height)
        _ = update(&state, .key(.char("d")))
        _ = update(&state, .drillMenu(menu))
        return state
    }

    /// kill-worker running for four seconds: the fault went out and the replacement appeared.
    static func running(width: Int, height: Int) -> DashboardState {
        var (state, observer) = StackFixture.running(width: width, height: height)
        _ = update(&state, .key(.char("d")))
        _ = update(&state, .drillMenu(menu))
        _ = update(&state, .key(.enter))
        _ = update(&state, .drillProgress(phase: "warming up", detail: "load at 20/s for 3 s"))
        _ = update(&state, .tick(nowMs: StackFixture.nowMs + 3_000))
        _ = update(&state, .drillProgress(phase: "injected", detail: "SIGKILL → app worker 4311"))
        var events = [
            StackEvent(
                tMs: 68_001, .fault(action: "SIGKILL", detail: "drill kill-worker"), component: "app",
                role: .worker, pid: 4311)
        ]
        events += observer.handle(.exited(pid: 4311, signal: 9, status: nil), at: 68_004)
        var after = StackFixture.processes.filter { $0.pid != 4311 }
        after.append(StackFixture.p(4313, 4310, "app", .worker, depth: 1, StackFixture.worker))
        events += observer.handle(.scanned(ProcessSnapshot(after)), at: 68_015)
        _ = update(&state, .events(events))
        _ = update(&state, .processes(observer.components))
        _ = update(&state, .drillProgress(phase: "waiting for recovery", detail: "1 failed so far"))
        _ = update(&state, .tick(nowMs: StackFixture.nowMs + 4_200))
        return state
    }

    /// The same drill finished: the report in the timeline, the summary in the footer.
    static func finished(width: Int, height: Int) -> DashboardState {
        var state = running(width: width, height: height)
        _ = update(&state, .tick(nowMs: StackFixture.nowMs + 4_300))
        _ = update(&state, .drillFinished(outcome))
        return state
    }
}
