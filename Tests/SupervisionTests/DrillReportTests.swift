import StackModel
import XCTest
@testable import Supervision

/// The report's JSON line and text, and how failed requests are classified.
final class DrillReportTests: XCTestCase {
    static let recovered = DrillReport(
        scenario: "kill-worker", topology: "nginx-gunicorn-supervisord", target: "app worker 1 (pid 4242)",
        detail: "SIGKILL one gunicorn worker of app", loadRps: 20, faultAtMs: 3_012, timeoutMs: 15_000, quietMs: 1_000,
        exitDetectedMs: 4, replacementSpawnedMs: 11, firstServedByReplacementMs: 155,
        replacements: [
            DrillReport.Replacement(
                component: "app", role: "worker", oldPid: 4242, newPid: 4301,
                spawnedMs: 11, firstServedMs: 155)
        ],
        requests: 26, failures: ["502": 1], firstFailureMs: 4, lastFailureMs: 4, slowestMs: 52,
        recovered: true, recoveredMs: 155, endedMs: 1_255)

    static let notRecovered = DrillReport(
        scenario: "kill-master", topology: "apache-mod-wsgi", target: "front master (pid 700)",
        detail:
            "SIGKILL apache's parent process: mod_wsgi has no master of its own, its processes are children of front (apache), so this takes all of apache down",
        loadRps: 20, faultAtMs: 3_000, timeoutMs: 15_000, quietMs: 1_000, exitDetectedMs: 2, downMs: 2,
        requests: 300, failures: ["timeout": 2, "500": 3, "reset": 1, "502": 7], firstFailureMs: 30,
        lastFailureMs: 14_990,
        recovered: false,
        stillWrong: [
            "front is down: its master (pid 700) died and nothing restarted it",
            "app has 0 of 2 workers running (2 orphaned workers still alive)",
        ],
        orphans: [DrillReport.Orphan(pid: 703, component: "app", role: "worker")], endedMs: 15_000)

    func testJSONLineHasStableFieldsAndNulls() {
        XCTAssertEqual(
            Self.recovered.jsonLine,
            #"{"t_ms":4267,"type":"drill","scenario":"kill-worker","topology":"nginx-gunicorn-supervisord","target":"app worker 1 (pid 4242)","detail":"SIGKILL one gunicorn worker of app","load_rps":20,"fault_at_ms":3012,"timeout_ms":15000,"quiet_ms":1000,"resumed_ms":null,"exit_detected_ms":4,"replacement_spawned_ms":11,"first_served_ms":155,"replacements":[{"component":"app","role":"worker","old_pid":4242,"new_pid":4301,"spawned_ms":11,"seen_ms":11,"first_served_ms":155}],"down_ms":null,"crash_looping_ms":null,"requests":26,"failed":1,"failures":{"502":1},"failure_window":{"first_ms":4,"last_ms":4},"slowest_ms":52,"recovered":true,"recovered_ms":155,"still_wrong":[],"orphans":[],"ended_ms":1255}"#
        )
        let line = Self.notRecovered.jsonLine
        XCTAssertTrue(
            line.contains(#""failures":{"500":3,"502":7,"reset":1,"timeout":2}"#), "statuses first, then error kinds")
        XCTAssertTrue(line.contains(#""recovered":false,"recovered_ms":null,"still_wrong":["front is down"#), line)
        XCTAssertTrue(line.hasPrefix(#"{"t_ms":18000,"type":"drill","#), line)
        XCTAssertFalse(line.contains("provoked"), "only crash-inside reports provoked requests")
        var crash = Self.recovered
        crash.provoked = DrillReport.Provoked(sent: 2, failures: ["502": 1, "reset": 1])
        XCTAssertTrue(
            crash.jsonLine.contains(
                #""slowest_ms":52,"provoked":{"sent":2,"failures":{"502":1,"reset":1}},"recovered":true"#))
        XCTAssertEqual(Self.notRecovered.failedRequests, 13)
        XCTAssertEqual(Self.notRecovered.failureWindowMs, 14_960)
    }

    func testTextOfARecoveredDrill() {
        XCTAssertEqual(
            Self.recovered.textLines(),
            [
                "drill kill-worker on nginx-gunicorn-supervisord: recovered in 155 ms, 1 failed request",
                "  target     app worker 1 (pid 4242): SIGKILL one gunicorn worker of app",
                "  fault      at 3012 ms after launch, load 20 req/s",
                "  exit       detected +4 ms",
                "  replaced   +11 ms: app worker 4242 -> 4301, first served +155 ms",
                "  served     first request answered by a new process +155 ms",
                "  failures   1 of 26 requests: 1× 502, at +4 ms",
                "  slowest    52 ms from schedule to answer",
                "  recovered  +155 ms (then no failed request for 1000 ms)",
                "  orphans    none",
            ])
    }

    func testTextOfADrillThatDidNotRecoverFitsEightyColumns() {
        let lines = Self.notRecovered.textLines()
        XCTAssertEqual(
            lines,
            [
                "drill kill-master on apache-mod-wsgi: did not recover within 15 s, 13 failed requests",
                "  target     front master (pid 700): SIGKILL apache's parent process: mod_wsgi",
                "             has no master of its own, its processes are children of front",
                "             (apache), so this takes all of apache down",
                "  fault      at 3000 ms after launch, load 20 req/s",
                "  exit       detected +2 ms",
                "  replaced   no replacement process",
                "  down       +2 ms: a root process died and nothing restarted it",
                "  failures   13 of 300 requests: 3× 500, 7× 502, 1× reset, 2× timeout, from",
                "             +30 ms to +14.99 s",
                "  recovered  no, not within 15 s",
                "  wrong      front is down: its master (pid 700) died and nothing restarted it",
                "             app has 0 of 2 workers running (2 orphaned workers still alive)",
                "  orphans    703 (app worker)",
            ])
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.count <= 80 }, "body lines fit 80 columns")
        XCTAssertTrue(
            Self.notRecovered.textLines(width: 50).dropFirst().allSatisfy {
                $0.count <= 50 || !$0.dropFirst(13).contains(" ")
            })
    }

    /// How each client outcome counts: status kinds, error kinds, deliberate errors, successes.
    func testFailureKinds() {
        let cases: [(DrillRequest, String?)] = [
            (DrillRequest(tMs: 1, scheduledMs: 0, status: 200, workerPid: 7), nil),
            (DrillRequest(tMs: 1, scheduledMs: 0, status: 404, workerPid: 7), nil),
            (DrillRequest(tMs: 1, scheduledMs: 0, status: 502), "502"),
            (DrillRequest(tMs: 1, scheduledMs: 0, status: 504), "504"),
            (DrillRequest(tMs: 1, scheduledMs: 0, status: 500, workerPid: 7, path: "/"), "500"),
            (DrillRequest(tMs: 1, scheduledMs: 0, status: 500, workerPid: 7, path: "/error"), nil),
            (DrillRequest(tMs: 1, scheduledMs: 0, status: 500, workerPid: 7, path: "/error?x=1"), nil),
            (DrillRequest(tMs: 1, scheduledMs: 0, status: 500, path: "/error"), "500"),
            (DrillRequest(tMs: 1, scheduledMs: 0, error: "refused"), "refused"),
            (DrillRequest(tMs: 1, scheduledMs: 0, error: "reset"), "reset"),
            (DrillRequest(tMs: 1, scheduledMs: 0, error: "timeout"), "timeout"),
            (DrillRequest(tMs: 1, scheduledMs: 0, error: "overflow"), "overflow"),
            (DrillRequest(tMs: 1, scheduledMs: 0, error: "tls-weirdness"), "other"),
            (DrillRequest(tMs: 1, scheduledMs: 0, error: "cancelled"), nil),
            (DrillRequest(tMs: 1, scheduledMs: 0), "other"),
        ]
        for (r, kind) in cases { XCTAssertEqual(r.failureKind, kind, "\(r)") }
        XCTAssertTrue(DrillRequest(tMs: 1, scheduledMs: 0, status: 502, path: "/crash").isCrashRequest)
        XCTAssertFalse(DrillRequest(tMs: 1, scheduledMs: 0, status: 200, path: "/crashes").isCrashRequest)
    }

    func testTextOfStopWorkerAndCrashInside() {
        let stop = DrillReport(
            scenario: "stop-worker", topology: "nginx-gunicorn", target: "app worker 1 (pid 12)",
            detail: "SIGSTOP one gunicorn worker of app, SIGCONT after 5 s", loadRps: 20, faultAtMs: 3_000,
            timeoutMs: 15_000, quietMs: 1_000, resumedMs: 5_000, requests: 120,
            failures: ["timeout": 1], firstFailureMs: 4_995, lastFailureMs: 4_995, slowestMs: 5_012,
            recovered: true, recoveredMs: 5_002, endedMs: 6_102)
        let lines = stop.textLines()
        XCTAssertEqual(
            Array(lines[4...6]),
            [
                "  continued  +5000 ms (SIGCONT)",
                "  exit       none seen",
                "  replaced   no replacement process",
            ])
        XCTAssertTrue(lines.contains("  failures   1 of 120 requests: 1× timeout, at +4995 ms"), "\(lines)")
        XCTAssertTrue(lines.contains("  slowest    5012 ms from schedule to answer"), "\(lines)")
        XCTAssertTrue(stop.jsonLine.contains(#""resumed_ms":5000,"exit_detected_ms":null"#))

        var crash = Self.recovered
        crash.scenario = "crash-inside"
        crash.failures = [:]
        crash.firstFailureMs = nil
        crash.lastFailureMs = nil
        crash.provoked = DrillReport.Provoked(sent: 1, failures: ["502": 1])
        let text = crash.textLines()
        XCTAssertTrue(text.contains("  failures   none of 26 requests"), "\(text)")
        XCTAssertTrue(text.contains("  provoked   1 /crash request, 1 failed by design: 1× 502"), "\(text)")
        XCTAssertEqual(
            text.first, "drill crash-inside on nginx-gunicorn-supervisord: recovered in 155 ms, 0 failed requests")
    }
}
