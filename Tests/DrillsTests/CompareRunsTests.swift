import Drills
import StackModel
import Supervision
import XCTest

/// What `compare` adds up from its runs: names in order, refusals and launch failures as rows,
/// and the exit status.
final class CompareRunsTests: XCTestCase {
    let scenario = DrillScenario.builtIn.first { $0.name == "kill-worker" }!

    func report(_ topology: String, recovered: Bool) -> DrillReport {
        DrillReport(
            scenario: "kill-worker", topology: topology, target: "app worker 1 (pid 4242)", detail: "",
            loadRps: 20, faultAtMs: 1000, timeoutMs: 15_000, quietMs: 1000, exitDetectedMs: 3,
            replacementSpawnedMs: 12, firstServedByReplacementMs: 140, recovered: recovered,
            recoveredMs: recovered ? 150 : nil, endedMs: 2000)
    }

    func testAllRecoveredIsStatusZeroAndNamesKeepTheirOrder() {
        var runs = CompareRuns(scenario: scenario, repeats: 2)
        runs.add("b.yaml", .report(report("b", recovered: true), survivors: 0, runDir: "/x"))
        runs.add("a.yaml", .report(report("a", recovered: true), survivors: 0, runDir: "/y"))
        runs.add("b.yaml", .report(report("b", recovered: true), survivors: 0, runDir: "/z"))
        XCTAssertEqual(runs.done, 3)
        XCTAssertEqual(runs.names, ["b", "a"])
        XCTAssertEqual(runs.reports.count, 3)
        XCTAssertNil(runs.exitStatus)
        XCTAssertEqual(runs.comparison.rows.map(\.topology), ["b", "a"])
        XCTAssertEqual(runs.comparison.rows.first?.runs, 2)
    }

    func testExitStatusOrder() {
        var runs = CompareRuns(scenario: scenario, repeats: 1)
        runs.add("r", .refused(DrillRefusal(scenario: "kill-worker", topology: "r", reason: "no workers")))
        XCTAssertEqual(runs.exitStatus, 2, "every stack refused")
        runs.add("n", .report(report("n", recovered: false), survivors: 0, runDir: "/n"))
        XCTAssertEqual(runs.exitStatus, 4, "a run did not recover")
        runs.add("s", .report(report("s", recovered: true), survivors: 2, runDir: "/s"))
        XCTAssertEqual(runs.exitStatus, 3, "survivors of a stop outrank a run that did not recover")
        runs.add("f.yaml", .failed("f: the launch failed\n  run dir (logs kept): /f"))
        XCTAssertEqual(runs.exitStatus, 1, "a launch failure outranks all")
        XCTAssertEqual(runs.failures["f.yaml"], "f: the launch failed", "only the first line")
        XCTAssertEqual(runs.refusals["r"], "no workers")
    }

    func testSummaryLines() {
        let line = CompareRuns.summary(.report(report("a", recovered: true), survivors: 1, runDir: "/a"))
        XCTAssertTrue(line.contains("replacement served at +140 ms"), line)
        XCTAssertTrue(line.hasSuffix("; 1 process(es) survived the stop"), line)
        let refusal = DrillRefusal(scenario: "kill-master", topology: "waitress", reason: "waitress has no master")
        XCTAssertEqual(CompareRuns.summary(.refused(refusal)), "refused: kill-master: waitress has no master")
        XCTAssertEqual(CompareRuns.summary(.failed("boom")), "failed: boom")
    }
}
