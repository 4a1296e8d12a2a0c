import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// `stacktop drill` on three real stacks, kill-worker and kill-master, each report held against
/// independent truth: the test's own client (plain sockets, its own failures by kind and time),
/// /proc (the killed pid is gone; the replacement is a live child of the right parent), and the
/// front server's access log (its 5xx count equals the report's plus the own client's).
final class DrillRecoveryTests: XCTestCase {
    /// Who must be the replacement's parent.
    enum Parent { case killedPidsParent, supervisor, none }

    struct Case {
        var topology: String
        var scenario: String
        var recovered: Bool
        var parent: Parent
        var extra: [String] = []
    }

    func testNginxGunicornSupervisordKillWorker() throws {
        try drill(
            Case(
                topology: "nginx-gunicorn-supervisord", scenario: "kill-worker", recovered: true,
                parent: .killedPidsParent))
    }

    func testNginxGunicornSupervisordKillMaster() throws {
        try drill(
            Case(topology: "nginx-gunicorn-supervisord", scenario: "kill-master", recovered: true, parent: .supervisor))
    }

    func testNginxUWSGISupervisordKillWorker() throws {
        try drill(
            Case(
                topology: "nginx-uwsgi-supervisord", scenario: "kill-worker", recovered: true, parent: .killedPidsParent
            ))
    }

    func testNginxUWSGISupervisordKillMaster() throws {
        try drill(
            Case(topology: "nginx-uwsgi-supervisord", scenario: "kill-master", recovered: true, parent: .supervisor))
    }

    func testApacheModWSGIKillWorker() throws {
        try drill(
            Case(topology: "apache-mod-wsgi", scenario: "kill-worker", recovered: true, parent: .killedPidsParent))
    }

    /// Apache's parent is the mod_wsgi "master": nothing restarts it, its orphans keep serving.
    func testApacheModWSGIKillMasterDoesNotRecover() throws {
        try drill(
            Case(
                topology: "apache-mod-wsgi", scenario: "kill-master", recovered: false, parent: .none,
                extra: ["--timeout", "5"]))
    }

    // MARK: - One drill against the truth

    private func drill(_ c: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        try DrillSkips.skipIfMissing(c.topology)
        let run = try DrillRunProcess(
            ["drill", c.topology, "--scenario", c.scenario, "--load", "20", "--json", "--events"] + c.extra)
        // The own client starts with the drill's load (the stack is ready by then).
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 30_000) { run.stderr.contains("drill: warming up") },
            "no warm-up: \(run.stderr)", file: file, line: line)
        let stack = try XCTUnwrap(run.lines("stack").first)
        let port = try XCTUnwrap(IntegrationSupport.port(of: stack["url"] as? String ?? ""))
        let runDir = try XCTUnwrap(stack["run_dir"] as? String)
        defer { try? FileManager.default.removeItem(atPath: runDir) }
        let client = DrillClient(port: port, rate: 20)

        // The fault: the killed pid is gone (the kernel says so, not stacktop).
        XCTAssertTrue(TestProject.eventually(timeoutMs: 15_000) { !run.lines("fault").isEmpty }, run.stderr)
        let faultOwnMs = client.clock.elapsedMs
        let fault = try XCTUnwrap(run.lines("fault").first)
        XCTAssertEqual(fault["detail"] as? String, "", "the signal was delivered")
        let killed = Int32(try XCTUnwrap(fault["pid"] as? Int))
        let spawned = run.spawned()
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 3_000) { DrillTruth.isGone(killed) }, "pid \(killed) still alive")

        // The replacement is a live child of the right parent, checked while the stack runs.
        var replacement: Int32?
        if c.parent != .none {
            let parent: Int32
            switch c.parent {
            case .supervisor: parent = try XCTUnwrap(spawned.first { $0.role == "supervisor" }?.pid)
            default: parent = try XCTUnwrap(spawned.first { $0.pid == killed }?.ppid, "spawned event of \(killed)")
            }
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 10_000) {
                    run.lines("replaced").contains { $0["old_pid"] as? Int == Int(killed) }
                }, "no replacement of \(killed): \(run.stderr)")
            let event = try XCTUnwrap(run.lines("replaced").first { $0["old_pid"] as? Int == Int(killed) })
            replacement = Int32(try XCTUnwrap(event["new_pid"] as? Int))
            XCTAssertEqual(
                DrillTruth.liveParent(of: replacement!), parent,
                "replacement \(replacement!) is a live child of \(parent)", file: file, line: line)
        }

        XCTAssertTrue(TestProject.eventually(timeoutMs: 40_000) { run.stderr.contains("drill: done") }, run.stderr)
        let doneWall = DrillTruth.wallSeconds
        let own = client.stop()
        XCTAssertEqual(run.wait(timeoutMs: 30_000), c.recovered ? 0 : 4, "exit status; stderr: \(run.stderr)")
        let report = try XCTUnwrap(run.reports.last, "a drill line on stdout")

        // The report agrees with the events and /proc.
        XCTAssertEqual(report["recovered"] as? Bool, c.recovered)
        XCTAssertEqual(report["fault_at_ms"] as? Int, fault["t_ms"] as? Int, "fault time on the stack clock")
        let replacements = report["replacements"] as? [[String: Any]] ?? []
        if let replacement {
            XCTAssertTrue(
                replacements.contains {
                    $0["old_pid"] as? Int == Int(killed) && $0["new_pid"] as? Int == Int(replacement)
                },
                "report names \(killed) -> \(replacement): \(replacements)")
        } else {
            XCTAssertFalse((report["orphans"] as? [Any] ?? []).isEmpty, "orphans of the killed parent are reported")
            XCTAssertNotNil(report["down_ms"] as? Int)
        }
        if c.recovered, let recovered = report["recovered_ms"] as? Int {
            XCTAssertGreaterThanOrEqual(recovered, report["first_served_ms"] as? Int ?? 0)
        }

        // The own client: healthy before the fault, and about as many failures as the report
        // (same rate: 20/s), in about the same window after the fault.
        let before = own.filter { $0.endMs < faultOwnMs - 200 }
        XCTAssertFalse(before.isEmpty)
        XCTAssertEqual(
            before.filter(\.failed).count, 0, "the stack served before the fault: \(before.filter(\.failed))")
        let ownFailures = own.filter { $0.failed && $0.endMs >= faultOwnMs - 200 }
        let reported = report["failed"] as? Int ?? -1
        XCTAssertLessThanOrEqual(
            abs(ownFailures.count - reported), max(3, reported / 3),
            "own client \(ownFailures.count) failures vs report \(reported)", file: file, line: line)
        if reported >= 3, ownFailures.count >= 3, let window = report["failure_window"] as? [String: Any],
            let first = window["first_ms"] as? Int, let last = window["last_ms"] as? Int
        {
            // Sample times converted from ns of the monotonic clock to ms after the fault line up
            // with the own client's (its fault time is when the test saw the event: a little late).
            let ownFirst = ownFailures.first!.endMs - faultOwnMs
            XCTAssertLessThanOrEqual(
                abs(ownFirst - first), 400, "first failure: own +\(ownFirst) ms, report +\(first) ms")
            let ownSpan = ownFailures.last!.endMs - ownFailures.first!.endMs
            XCTAssertLessThanOrEqual(
                abs(ownSpan - (last - first)), 400, "failure window: own \(ownSpan) ms, report \(last - first) ms")
        }

        // The front server's access log: every 5xx it wrote (up to the end of the drill, leaving
        // out /error and probes) is one of the report's or one of the own client's.
        let log = runDir + "/logs/front.access.log"
        let statuses = DrillTruth.frontStatuses(log: log, untilWall: doneWall + 0.3)
        XCTAssertGreaterThan(statuses[200, default: 0], 50, "the access log \(log) has the drill's requests")
        let report5xx = DrillRunProcess.counts(report["failures"]).filter { (Int($0.key) ?? 0) >= 500 }.values.reduce(
            0, +)
        let own5xx = ownFailures.filter { ($0.status ?? 0) >= 500 }.count
        XCTAssertLessThanOrEqual(
            abs(DrillTruth.serverErrors(statuses) - (report5xx + own5xx)), 3,
            "access log 5xx \(statuses) vs report \(report5xx) + own \(own5xx)", file: file, line: line)

        print(
            "drill truth \(c.topology) \(c.scenario): report failed \(reported) \(report["failures"] ?? "") window \(report["failure_window"] ?? "-"); "
                + "own \(ownFailures.count) failed of \(own.count) (first +\(ownFailures.first.map { $0.endMs - faultOwnMs } ?? -1) ms); "
                + "access log \(statuses.sorted { $0.key < $1.key }); killed \(killed) replacement \(replacement.map(String.init) ?? "-")"
        )

        // Nothing of the stack outlives the drill.
        for p in spawned {
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 5_000) { DrillTruth.isGone(p.pid) },
                "\(p.component) \(p.role) pid \(p.pid) left running", file: file, line: line)
        }
    }
}
