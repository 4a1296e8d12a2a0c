import Dashboard
import StackModel
import Supervision
import XCTest

/// What the wiring hands the dashboard: the menu from the scenarios and the planner, and the
/// outcome from a tracker's report.
final class DrillMappingTests: XCTestCase {
    func report(recovered: Bool, failures: [String: Int] = [:], stillWrong: [String] = []) -> DrillReport {
        DrillReport(
            scenario: "kill-worker", topology: "nginx-gunicorn-supervisord", target: "app worker 1 (pid 4311)",
            detail: "SIGKILL one gunicorn worker of app", loadRps: 20, faultAtMs: 68_001, timeoutMs: 15_000,
            quietMs: 1_000, exitDetectedMs: 3, replacementSpawnedMs: 12, firstServedByReplacementMs: 180,
            replacements: [
                .init(
                    component: "app", role: "worker", oldPid: 4311, newPid: 4313, spawnedMs: 12,
                    firstServedMs: 180)
            ],
            requests: 84, failures: failures, firstFailureMs: failures.isEmpty ? nil : 2,
            lastFailureMs: failures.isEmpty ? nil : 40, recovered: recovered,
            recoveredMs: recovered ? 180 : nil, stillWrong: stillWrong, endedMs: 69_400)
    }

    func testOutcomeOfAReport() {
        let cases: [(DrillReport, Bool, DrillOutcome.Verdict, String)] = [
            (report(recovered: true), false, .recovered, "recovered in 180 ms · 0 failed"),
            (
                report(recovered: true, failures: ["reset": 1, "502": 2]), true, .recovered,
                "recovered in 180 ms · 3 failed (502×2 reset×1)"
            ),
            (
                report(recovered: false, failures: ["502": 1], stillWrong: ["app is down", "slot 2 has no process"]),
                false,
                .notRecovered, "did not recover within 15 s · 1 failed (502×1) · app is down"
            ),
            (report(recovered: false), true, .interrupted, "stopped before it recovered · 0 failed"),
        ]
        for (report, stopped, verdict, summary) in cases {
            let outcome = DrillOutcome(report, stopped: stopped)
            XCTAssertEqual(outcome.scenario, "kill-worker")
            XCTAssertEqual(outcome.verdict, verdict, summary)
            XCTAssertEqual(outcome.summary, summary)
            XCTAssertEqual(
                outcome.lines, Array(report.textLines(width: 1_000).dropFirst()), "the lines, headline left out")
        }
    }

    func testReportLinesAreUnwrappedForTheTimelineToWrap() {
        let outcome = DrillOutcome(report(recovered: true), stopped: false)
        XCTAssertTrue(
            outcome.lines.contains { $0.hasPrefix("  replaced ") && $0.contains("4311 -> 4313") }, "\(outcome.lines)")
        XCTAssertFalse(
            outcome.lines.contains { $0.hasPrefix("             ") }, "no continuation lines: \(outcome.lines)")
    }

    func testMenuCarriesThePlannersRefusals() {
        let (running, _) = StackFixture.running(width: 80, height: 24)
        var bare = StackFixture.topology
        bare.name = "nginx-gunicorn"
        bare.components.removeAll { $0.kind == .supervisord }
        let views = running.components.filter { $0.name != "supervisor" }
        let withSupervisor = DrillMenuItem.menu(
            DrillScenario.builtIn, topology: StackFixture.topology,
            components: running.components)
        let without = DrillMenuItem.menu(DrillScenario.builtIn, topology: bare, components: views)
        XCTAssertEqual(withSupervisor.map(\.name), DrillScenario.builtIn.map(\.name))
        XCTAssertEqual(withSupervisor.first?.description, DrillScenario.builtIn.first?.description)
        XCTAssertNil(withSupervisor.first { $0.name == "kill-supervisor" }?.refusal)
        let refusal = without.first { $0.name == "kill-supervisor" }?.refusal
        XCTAssertTrue(refusal?.contains("no supervisord") ?? false, refusal ?? "nil")
        XCTAssertNil(without.first { $0.name == "kill-worker" }?.refusal)
    }
}
