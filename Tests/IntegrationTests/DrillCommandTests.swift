import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// `stacktop drill` and `compare` as a user meets them: refusals and bad values (exit 2, nothing
/// launched), the listing, and one small comparison whose table is the medians of its runs.
final class DrillCommandTests: XCTestCase {
    /// Command lines that must be refused at once, with what stderr must say.
    static let refusals: [(args: [String], says: String)] = [
        (["drill", "nginx-gunicorn", "--scenario", "kill-supervisor"], "nginx-gunicorn has no supervisord"),
        (["drill", "gunicorn", "--scenario", "kill-front"], "kill-front"),
        (["drill", "nginx-gunicorn", "--scenario", "kill-wroker"], "kill-worker"),  // did-you-mean
        (
            ["drill", "nginx-gunicorn", "--scenario", "crash-inside", "--signal", "TERM"],
            "--signal applies to the kill-* scenarios"
        ),
        (["drill", "nginx-gunicorn", "--scenario", "kill-worker", "--signal", "STOP"], "not a signal a drill sends"),
        (["drill", "nginx-gunicorn", "--scenario", "kill-worker", "--load", "0"], "--load needs a rate"),
        (["drill", "nginx-gunicorn"], "--scenario NAME"),
        (["compare", "nginx-gunicorn", "--scenario", "kill-worker", "--repeat", "0"], "--repeat needs"),
        (["compare", "nginx-gunicorn", "gunicorn", "--scenario", "kill-supervisor"], "has no supervisord"),
    ]

    func testRefusalsExitWith2AndLaunchNothing() throws {
        let runsBefore = Set((try? FileManager.default.contentsOfDirectory(atPath: "/tmp/stacktop-runs")) ?? [])
        for (args, says) in Self.refusals {
            let run = try DrillRunProcess(args)
            XCTAssertEqual(run.wait(timeoutMs: 20_000), 2, "\(args): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(says), "\(args) says \(says): \(run.stderr)")
            XCTAssertTrue(run.lines("stack").isEmpty)
        }
        let runsAfter = Set((try? FileManager.default.contentsOfDirectory(atPath: "/tmp/stacktop-runs")) ?? [])
        let mine = runsAfter.subtracting(runsBefore).filter {
            $0.hasPrefix("nginx-gunicorn-2") || $0.hasPrefix("gunicorn-2")
        }
        XCTAssertTrue(mine.isEmpty, "a refused drill launched nothing: \(mine)")
    }

    func testListSaysWhichScenariosApplyAndWhy() throws {
        let run = try DrillRunProcess(["drill", "--list", "nginx-gunicorn", "--json"])
        XCTAssertEqual(run.wait(timeoutMs: 20_000), 0, run.stderr)
        let rows = run.lines("scenario")
        let names = rows.compactMap { $0["name"] as? String }
        for builtIn in [
            "kill-worker", "kill-all-workers", "kill-master", "kill-front", "kill-supervisor",
            "stop-worker", "crash-inside", "crash-loop",
        ] {
            XCTAssertTrue(names.contains(builtIn), builtIn)
        }
        let supervisor = try XCTUnwrap(rows.first { $0["name"] as? String == "kill-supervisor" })
        XCTAssertEqual(supervisor["applies"] as? Bool, false)
        XCTAssertEqual(supervisor["refused"] as? String, "nginx-gunicorn has no supervisord")
        XCTAssertEqual(rows.first { $0["name"] as? String == "kill-worker" }?["applies"] as? Bool, true)
    }

    /// Two stacks × 2 runs: the table's figures are the medians (and ranges) of the four reports.
    func testCompareTableIsTheMediansOfItsRuns() throws {
        let stacks = ["nginx-gunicorn-supervisord", "nginx-uwsgi-supervisord"]
        for s in stacks { try DrillSkips.skipIfMissing(s) }
        let run = try DrillRunProcess(["compare"] + stacks + ["--scenario", "kill-worker", "--repeat", "2", "--json"])
        XCTAssertEqual(run.wait(timeoutMs: 120_000), 0, run.stderr)
        let reports = run.reports
        XCTAssertEqual(reports.count, 4, run.stderr)
        let table = try XCTUnwrap(run.lines("compare").first)
        let rows = try XCTUnwrap(table["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["topology"] as? String }, stacks)
        for row in rows {
            let mine = reports.filter { $0["topology"] as? String == row["topology"] as? String }
            XCTAssertEqual(mine.count, 2)
            XCTAssertEqual(row["runs"] as? Int, 2)
            for (column, field) in [
                ("exit_detected_ms", "exit_detected_ms"), ("replacement_spawned_ms", "replacement_spawned_ms"),
                ("first_served_ms", "first_served_ms"), ("recovered_ms", "recovered_ms"),
                ("failed_requests", "failed"),
            ] {
                let values = mine.compactMap { $0[field] as? Int }.sorted()
                guard let spread = row[column] as? [String: Any] else {
                    XCTAssertTrue(values.isEmpty, "\(column) missing but the runs have \(values)")
                    continue
                }
                XCTAssertEqual(spread["min"] as? Int, values.first, column)
                XCTAssertEqual(spread["max"] as? Int, values.last, column)
                let median = (Double(values[0]) + Double(values[values.count - 1])) / 2
                XCTAssertEqual(spread["median"] as? Double, median, column)
            }
        }
        // Progress went to stderr, one result line per run.
        XCTAssertEqual(
            run.stderr.components(separatedBy: "\n").filter {
                $0.contains("] ") && $0.contains(": drill kill-worker on ")
            }.count, 4,
            run.stderr)
    }

    /// SIGINT while waiting for a recovery that never comes (Apache's parent killed): the drill
    /// ends at once with the report so far, exit 1, and no process of the stack is left.
    func testSIGINTAfterTheFaultStopsTheDrillAndTheStack() throws {
        try DrillSkips.skipIfMissing("apache-mod-wsgi")
        let run = try DrillRunProcess(["drill", "apache-mod-wsgi", "--scenario", "kill-master", "--json", "--events"])
        XCTAssertTrue(TestProject.eventually(timeoutMs: 30_000) { !run.lines("fault").isEmpty }, run.stderr)
        Stopwatch.sleep(ms: 500)
        let spawned = run.spawned()
        XCTAssertFalse(spawned.isEmpty)
        let sent = Stopwatch()
        XCTAssertTrue(run.child.send(SIGINT))
        XCTAssertEqual(run.wait(timeoutMs: 15_000), 1, run.stderr)
        XCTAssertLessThan(sent.elapsedMs, 8_000, "stopped well before the 15 s timeout")
        let report = try XCTUnwrap(run.reports.last)
        XCTAssertEqual(report["recovered"] as? Bool, false)
        XCTAssertTrue(
            (report["still_wrong"] as? [String])?.first?.contains("the drill was stopped") ?? false, "\(report)")
        XCTAssertEqual(run.lines().last { $0["type"] as? String != "drill" }?["type"] as? String, "stopped")
        for p in spawned {
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 5_000) { DrillTruth.isGone(p.pid) },
                "\(p.component) \(p.role) pid \(p.pid) left running")
        }
        if let runDir = run.lines("stack").first?["run_dir"] as? String {
            try? FileManager.default.removeItem(atPath: runDir)
        }
    }

    /// crash-loop on the demo app: the switch makes every restart die at import; the report
    /// quotes the traceback's last line, the switch is gone afterwards, nothing is left running.
    func testCrashLoopQuotesTheImportErrorAndRemovesTheSwitch() throws {
        try DrillSkips.skipIfMissing("nginx-gunicorn-supervisord")
        let run = try DrillRunProcess([
            "drill", "nginx-gunicorn-supervisord", "--scenario", "crash-loop", "--timeout", "4",
            "--json", "--events",
        ])
        XCTAssertEqual(run.wait(timeoutMs: 60_000), 4, run.stderr)
        let report = try XCTUnwrap(run.reports.last)
        XCTAssertEqual(report["recovered"] as? Bool, false)
        XCTAssertGreaterThan(report["failed"] as? Int ?? 0, 10, "the app is down: \(report)")
        let wrong = report["still_wrong"] as? [String] ?? []
        XCTAssertTrue(wrong.contains { $0.contains("RuntimeError: stacktop crash-loop drill") }, "\(wrong)")
        let runDir = try XCTUnwrap(run.lines("stack").first?["run_dir"] as? String)
        defer { try? FileManager.default.removeItem(atPath: runDir) }
        XCTAssertEqual(access(runDir + "/tmp/stacktop-demo-fail-import", F_OK), -1, "the switch was removed")
        for p in run.spawned() {
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 5_000) { DrillTruth.isGone(p.pid) },
                "\(p.component) \(p.role) pid \(p.pid) left running")
        }
    }

    /// A user's app has neither /crash nor the import switch: both scenarios are refused.
    func testCrashScenariosAreRefusedForAUserApp() throws {
        let dir = "/tmp/stacktop-drill-userapp-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "from flask import Flask\napp = Flask(__name__)\n".write(
            toFile: dir + "/app.py", atomically: true, encoding: .utf8)
        try """
        name: user-stack
        description: gunicorn serving a user's app
        app:
          module: app:app
          dir: .
        components:
          app:
            server: gunicorn
            listen: tcp
        """.write(toFile: dir + "/user-stack.yaml", atomically: true, encoding: .utf8)
        for scenario in ["crash-loop", "crash-inside"] {
            let run = try DrillRunProcess(["drill", dir + "/user-stack.yaml", "--scenario", scenario])
            XCTAssertEqual(run.wait(timeoutMs: 20_000), 2, run.stderr)
            XCTAssertTrue(run.stderr.contains("needs the demo app"), run.stderr)
        }
    }
}
