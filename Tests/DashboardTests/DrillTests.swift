@testable import Dashboard
import StackModel
import Supervision
import XCTest

/// The `d` key: the scenario menu, one drill at a time, its phases, and the report that stays.
final class DrillTests: XCTestCase {
    func footer(_ state: DashboardState) -> String { DashboardView.render(state).lines.last ?? "" }
    func header(_ state: DashboardState) -> String { DashboardView.render(state).lines.first ?? "" }

    func testDOpensTheMenuAndAsksForTheScenarios() {
        var (state, _) = StackFixture.running(width: 80, height: 24)
        XCTAssertEqual(update(&state, .key(.char("d"))), [.listDrills])
        XCTAssertEqual(state.scope, .drill)
        XCTAssertNil(state.drillMenu, "the old list is dropped: refusals depend on the stack now")
        XCTAssertTrue(DashboardView.render(state).lines.joined().contains("resolving the scenarios"))
        XCTAssertEqual(update(&state, .key(.enter)), [], "nothing to run before the list arrives")
        _ = update(&state, .drillMenu(DrillFixture.menu))
        XCTAssertEqual(state.overlay, .drill(index: 0))
    }

    func testSelectionStartsOnTheFirstRunnableScenario() {
        var (state, _) = StackFixture.running(width: 80, height: 24)
        _ = update(&state, .key(.char("d")))
        let refusedFirst = [DrillFixture.menu[3]] + DrillFixture.menu.prefix(2)
        _ = update(&state, .drillMenu(refusedFirst))
        XCTAssertEqual(state.overlay, .drill(index: 1))
    }

    func testMovingInTheMenuStaysInTheList() {
        let cases: [([Key], Int)] = [
            ([.down], 1), ([.char("j"), .char("j")], 2), ([.up], 0), ([.end], 4), ([.end, .down], 4),
            ([.pageDown, .char("k")], 3), ([.down, .home], 0),
        ]
        for (keys, expected) in cases {
            var state = DrillFixture.menuOpen(width: 80, height: 24)
            for key in keys { _ = update(&state, .key(key)) }
            XCTAssertEqual(state.overlay, .drill(index: expected), "\(keys.map(\.label))")
        }
    }

    func testEscDAndQCloseTheMenuWithoutQuitting() {
        for key in [Key.escape, .char("d"), .char("q")] {
            var state = DrillFixture.menuOpen(width: 80, height: 24)
            XCTAssertEqual(update(&state, .key(key)), [], key.label)
            XCTAssertNil(state.overlay, key.label)
            XCTAssertFalse(state.quitting, key.label)
            XCTAssertNil(state.drill, key.label)
        }
    }

    func testARefusedScenarioSaysWhyAndDoesNotRun() {
        var state = DrillFixture.menuOpen(width: 80, height: 24)
        for _ in 0..<3 { _ = update(&state, .key(.down)) }
        XCTAssertEqual(update(&state, .key(.enter)), [])
        XCTAssertEqual(state.flash?.text, "Enter run: the app's front door is not behind supervisord here")
        XCTAssertEqual(state.scope, .drill, "the menu stays open")
        XCTAssertNil(state.drill)
    }

    /// Enter runs at the set rate; load off is switched on first; without a load generator the
    /// runner is asked anyway (it refuses with its reason).
    func testEnterRunsTheSelectedScenarioWithLoad() {
        let cases: [(loadOn: Bool, problem: String?, commands: [Command])] = [
            (true, nil, [.runDrill(scenario: "kill-worker", rate: 20)]),
            (false, nil, [.setLoad(on: true), .runDrill(scenario: "kill-worker", rate: 20)]),
            (false, "no load generator", [.runDrill(scenario: "kill-worker", rate: 20)]),
        ]
        for (loadOn, problem, commands) in cases {
            var state = DrillFixture.menuOpen(width: 80, height: 24)
            state.loadOn = loadOn
            state.loadProblem = problem
            XCTAssertEqual(update(&state, .key(.enter)), commands)
            XCTAssertNil(state.overlay)
            XCTAssertEqual(state.drill, DrillActivity(scenario: "kill-worker", startedMs: StackFixture.nowMs))
            XCTAssertEqual(state.loadOn, loadOn || problem == nil)
            XCTAssertEqual(state.timeline.entries.last?.text, "drill kill-worker started (load 20/s)")
        }
    }

    func testOneDrillAtATimeWhileFaultAndRateKeysStayUsable() {
        var state = DrillFixture.running(width: 80, height: 24)
        XCTAssertEqual(update(&state, .key(.char("d"))), [])
        XCTAssertEqual(state.flash?.text, "d drill: kill-worker is running — one drill at a time")
        XCTAssertNil(state.overlay)
        while state.selection?.pid != 4312 { _ = update(&state, .key(.down)) }
        XCTAssertEqual(update(&state, .key(.char("K"))), [.signal(pid: 4312, .kill, component: "app")])
        XCTAssertEqual(update(&state, .key(.char("+"))), [.setRate(50)], "the rate can change")
        XCTAssertEqual(update(&state, .key(.char("l"))), [], "the load stays on while the drill measures")
        XCTAssertEqual(state.flash?.text, "l load: drill kill-worker measures with the load on")
        _ = update(&state, .drillFinished(DrillFixture.outcome))
        XCTAssertEqual(update(&state, .key(.char("l"))), [.setLoad(on: false)], "and can be switched off after")
    }

    func testPhasesGoToTheHeaderAndOnceToTheTimeline() {
        var state = DrillFixture.running(width: 120, height: 40)
        XCTAssertTrue(header(state).contains("drill kill-worker · waiting for recovery · 4 s"), header(state))
        let notes = state.timeline.entries.map(\.text).filter { $0.hasPrefix("drill kill-worker:") }
        XCTAssertEqual(
            notes,
            [
                "drill kill-worker: warming up — load at 20/s for 3 s",
                "drill kill-worker: injected — SIGKILL → app worker 4311",
                "drill kill-worker: waiting for recovery — 1 failed so far",
            ])
        let count = state.timeline.entries.count
        _ = update(&state, .drillProgress(phase: "waiting for recovery", detail: "0 failed in the last second"))
        XCTAssertEqual(state.timeline.entries.count, count, "the same phase writes nothing new")
        XCTAssertEqual(state.drill?.detail, "0 failed in the last second")
        _ = update(&state, .tick(nowMs: StackFixture.nowMs + 9_000))
        XCTAssertTrue(header(state).contains("· 9 s"), header(state))
    }

    func testTheReportStaysInTheTimelineAndTheSummaryUntilTheNextKey() {
        var state = DrillFixture.finished(width: 120, height: 40)
        XCTAssertNil(state.drill)
        let block = state.timeline.entries.suffix(DrillFixture.reportLines.count + 1)
        XCTAssertEqual(block.first?.text, "drill kill-worker: recovered in 180 ms · 1 failed (502×1)")
        XCTAssertEqual(block.first?.block, .head)
        XCTAssertEqual(block.first?.tone, .good)
        XCTAssertEqual(block.dropFirst().map(\.text), DrillFixture.reportLines)
        XCTAssertTrue(block.dropFirst().allSatisfy { $0.block == .body })
        XCTAssertTrue(footer(state).contains("drill kill-worker: recovered in 180 ms"), footer(state))
        XCTAssertFalse(header(state).contains("drill"), "the header no longer shows a drill")
        _ = update(&state, .tick(nowMs: StackFixture.nowMs + 60_000))
        XCTAssertNotNil(state.drillSummary, "time alone does not clear it")
        _ = update(&state, .key(.down))
        XCTAssertNil(state.drillSummary)
        XCTAssertTrue(footer(state).contains("d drill"), footer(state))
        XCTAssertEqual(update(&state, .key(.char("d"))), [.listDrills], "the next drill can start")
    }

    /// stop-worker's SIGSTOP and SIGCONT reach the table through their `fault` events; a refused one does not.
    func testADrillsStopAndContMarkTheWorkerFrozen() {
        let cases: [(String, String, Bool)] = [
            ("SIGSTOP", "", true), ("SIGSTOP", "refused: process 4311 is gone", false),
        ]
        for (action, detail, frozen) in cases {
            var state = DrillFixture.running(width: 80, height: 24)
            _ = update(
                &state,
                .events([
                    StackEvent(
                        tMs: 68_100, .fault(action: action, detail: detail), component: "app",
                        role: .worker, pid: 4312)
                ]))
            XCTAssertEqual(state.rows.first { $0.pid == 4312 }?.stateLabel, frozen ? "frozen" : "up", detail)
            _ = update(
                &state,
                .events([
                    StackEvent(
                        tMs: 73_100, .fault(action: "SIGCONT", detail: ""), component: "app",
                        role: .worker, pid: 4312)
                ]))
            XCTAssertEqual(state.rows.first { $0.pid == 4312 }?.stateLabel, "up")
        }
    }

    func testVerdictSetsTheTone() {
        let cases: [(DrillOutcome.Verdict, Tone)] = [
            (.recovered, .good), (.notRecovered, .bad), (.interrupted, .warn), (.refused, .bad), (.failed, .bad),
        ]
        for (verdict, tone) in cases {
            var state = DrillFixture.running(width: 80, height: 24)
            _ = update(&state, .drillFinished(DrillOutcome(scenario: "kill-worker", verdict: verdict, summary: "x")))
            XCTAssertEqual(state.timeline.entries.last?.tone, tone, "\(verdict)")
            XCTAssertEqual(state.drillSummary?.tone, tone, "\(verdict)")
        }
    }

    func testReportsOutliveOlderLinesWhenTheTimelineIsFull() {
        var timeline = Timeline(capacity: 10)
        timeline.note("before", at: 0)
        timeline.recordReport(title: "drill kill-worker: recovered", lines: ["a", "b", "c"], tone: .good, at: 1)
        for i in 0..<20 { timeline.note("after \(i)", at: 2 + i) }
        XCTAssertEqual(timeline.entries.count, 10)
        XCTAssertEqual(timeline.entries.prefix(4).map(\.text), ["drill kill-worker: recovered", "a", "b", "c"])
        XCTAssertEqual(timeline.entries.last?.text, "after 19")
        XCTAssertFalse(timeline.entries.contains { $0.text == "before" })
    }

    /// Which state keeps `d` disabled, and what it says.
    func testDrillKeyIsDisabledWithoutARunningStack() {
        let launching: DashboardState = {
            var s = DashboardState(topology: StackFixture.topology, width: 80, height: 24)
            _ = update(
                &s, .events([StackEvent(tMs: 0, .stack(topology: "x", runDir: "/tmp/r", url: StackFixture.url))]))
            return s
        }()
        let stopped: DashboardState = {
            var (s, _) = StackFixture.running(width: 80, height: 24)
            _ = update(&s, .events([StackEvent(tMs: 70_000, .stopped(clean: true, detail: ""))]))
            return s
        }()
        let quitting: DashboardState = {
            var (s, _) = StackFixture.running(width: 80, height: 24)
            _ = update(&s, .key(.char("q")))
            return s
        }()
        let cases: [(DashboardState, String)] = [
            (StackFixture.picker(width: 80, height: 24), "no stack yet"),
            (DashboardState(topology: StackFixture.topology, width: 80, height: 24), "the stack is still launching"),
            (launching, "the stack is still launching"),
            (stopped, "the stack stopped"),
            (quitting, "the stack is stopping"),
        ]
        for (state, reason) in cases {
            XCTAssertEqual(state.whyDisabled(.drillIdle), reason)
        }
        XCTAssertNil(StackFixture.running(width: 80, height: 24).0.whyDisabled(.drillIdle))
    }

    /// Report lines wrap under the gutter keeping their indent; other lines are cut, one row each.
    func testReportLinesWrapInANarrowTimeline() {
        let cases: [(String, Int, [String])] = [
            ("short", 20, ["short"]),
            ("  failed requests 3 (502×3) from +2 ms", 20, ["  failed requests 3", "    (502×3) from", "    +2 ms"]),
            ("one two three four", 9, ["one two", "  three", "  four"]),
            (
                "  failures   3 of 40 requests: 3× 502, at +2 ms", 30,
                ["  failures   3 of 40 requests:", "             3× 502, at +2 ms"]
            ),
            ("  recovered                +1180 ms", 20, ["  recovered", "    +1180 ms"]),
            ("  exit       detected +3 ms, fine", 26, ["  exit       detected", "             +3 ms, fine"]),
            ("  fault      at 11037 ms after launch", 26, ["  fault      at 11037 ms", "             after launch"]),
        ]
        for (line, width, expected) in cases {
            XCTAssertEqual(TimelineView.wrapKeepingIndent(line, width: width), expected, line)
        }
        let state = DrillFixture.finished(width: 80, height: 24)
        let rows = TimelineView.visibleRows(state.timeline.entries[...], width: 43, height: 30)
        let last = rows.suffix(4).map(\.text)
        XCTAssertEqual(
            last,
            [
                "  recovered  +180 ms (then no", "             failed request for", "             1000 ms)",
                "  orphans    none",
            ])
        XCTAssertTrue(rows.suffix(3).allSatisfy { $0.stamp == "        │ " })
        let head = rows.filter { $0.stamp.hasSuffix("┌ ") }.map(\.text)
        XCTAssertEqual(head, ["drill kill-worker: recovered in"], "the head wraps too, its first row marked")
    }
}

/// The drill screens draw inside the grid at every size, down to nothing.
final class DrillRenderTests: XCTestCase {
    func testRenderNeverFailsAtAnySize() {
        let states = [
            DrillFixture.menuOpen(width: 0, height: 0), DrillFixture.running(width: 0, height: 0),
            DrillFixture.finished(width: 0, height: 0),
        ]
        for base in states {
            for (w, h) in [(0, 0), (1, 1), (80, 24), (81, 25), (100, 30), (200, 60)] {
                var state = base
                _ = update(&state, .resize(width: w, height: h))
                let grid = DashboardView.render(state)
                XCTAssertEqual(grid.lines.count, h)
                XCTAssertTrue(grid.lines.allSatisfy { TextWidth.of($0) == w }, "\(w)x\(h)")
            }
        }
    }

    func testMenuShowsRefusalsAndTheSelectedDescription() {
        var state = DrillFixture.menuOpen(width: 80, height: 24)
        _ = update(&state, .key(.down))
        let screen = DashboardView.render(state).lines.joined(separator: "\n")
        XCTAssertTrue(screen.contains("no: needs the demo app"), screen)
        XCTAssertTrue(screen.contains("▸kill-all-workers"), screen)
        XCTAssertTrue(screen.contains("SIGKILL every worker of the app server at once"), screen)
    }
}
