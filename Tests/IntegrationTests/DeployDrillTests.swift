import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// The deploy drills on real stacks, held against the test's own client (its failures and the
/// `X-App-Version` it saw), the front server's access log and /proc (worker counts in ps).
/// Each drill is one launch of a few seconds; the load is modest because the machine is shared.
final class DeployDrillTests: XCTestCase {
    /// How late the own client may notice "drill: done" on a busy machine (see `Outcome.ownAfter`).
    static let stopSlackMs = 300

    /// What one drill run left: its report, the own client's requests and the fault on their clock.
    struct Outcome {
        var report: [String: Any]
        var own: [DrillClient.Request]
        var faultOwnMs: Int
        /// When the own client saw the drill say it was done (the stack is stopped right after).
        var doneOwnMs: Int
        var runDir: String
        var status: Int32?
        var run: DrillRunProcess

        /// The own client's requests from the fault until the drill was done: a request that
        /// started in the last `stopSlackMs` before the client saw "drill: done" may have met the
        /// stack's stop (a refused connect), which is no part of the drill.
        var ownAfter: [DrillClient.Request] {
            own.filter { $0.endMs >= faultOwnMs - 100 && $0.startMs < doneOwnMs - DeployDrillTests.stopSlackMs }
        }
        var ownFailedAfter: [DrillClient.Request] { ownAfter.filter(\.failed) }
        var failed: Int { report["failed"] as? Int ?? -1 }
        var deploy: [String: Any] { report["deploy"] as? [String: Any] ?? [:] }
    }

    /// Runs `stacktop drill TOPOLOGY --scenario S` with the own client at `rate`; `during` runs
    /// while the stack is up, after the fault (for checks of ps).
    func drill(
        _ topology: String, _ scenario: String, rate: Int = 50, extra: [String] = [],
        during: (DrillRunProcess) throws -> Void = { _ in }
    ) throws -> Outcome {
        try DrillSkips.skipIfMissing(topology)
        let run = try DrillRunProcess(
            ["drill", topology, "--scenario", scenario, "--load", String(rate), "--json", "--events"] + extra)
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 40_000) { run.stderr.contains("drill: warming up") },
            "no warm-up: \(run.stderr)")
        let stack = try XCTUnwrap(run.lines("stack").first)
        let port = try XCTUnwrap(IntegrationSupport.port(of: stack["url"] as? String ?? ""))
        let runDir = try XCTUnwrap(stack["run_dir"] as? String)
        let client = DrillClient(port: port, rate: rate)
        XCTAssertTrue(TestProject.eventually(timeoutMs: 20_000) { !run.lines("fault").isEmpty }, run.stderr)
        let faultOwnMs = client.clock.elapsedMs
        try during(run)
        XCTAssertTrue(TestProject.eventually(timeoutMs: 40_000) { run.stderr.contains("drill: done") }, run.stderr)
        let doneOwnMs = client.clock.elapsedMs
        let own = client.stop()
        let status = run.wait(timeoutMs: 30_000)
        let report = try XCTUnwrap(run.reports.last, "a drill line on stdout; stderr: \(run.stderr)")
        print(
            "deploy drill \(topology) \(scenario): report failed \(report["failed"] ?? "?") \(report["failures"] ?? "") "
                + "deploy \(report["deploy"] ?? "-"); own \(own.filter { $0.failed && $0.endMs >= faultOwnMs - 100 }.count) failed of \(own.count)"
        )
        for p in run.spawned() {
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 5_000) { DrillTruth.isGone(p.pid) },
                "\(p.component) \(p.role) pid \(p.pid) left running")
        }
        return Outcome(
            report: report, own: own, faultOwnMs: faultOwnMs, doneOwnMs: doneOwnMs, runDir: runDir, status: status,
            run: run)
    }

    /// Live children of `pid` whose command line contains `marker` (any when nil), from /proc.
    static func children(of pid: Int32, marker: String? = nil) -> [Int32] {
        let table = LinuxProcessTable()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap(Int32.init).filter { child in
            guard let r = table.record(of: child), !r.isDead, r.ppid == pid else { return false }
            guard let marker else { return true }
            let cmdline = (try? String(contentsOfFile: "/proc/\(child)/cmdline", encoding: .utf8)) ?? ""
            return cmdline.contains(marker)
        }
    }

    /// The version cutover as the own client saw it: version 1 before the command, version 2
    /// in the end, no version 1 once the report's cutover has passed (with slack for the two
    /// clocks), and the report's own count of old answers after the command.
    private func assertCutover(_ o: Outcome, file: StaticString = #filePath, line: UInt = #line) {
        let before = o.own.filter { $0.endMs < o.faultOwnMs - 200 && $0.status == 200 }
        XCTAssertFalse(before.isEmpty, file: file, line: line)
        XCTAssertTrue(before.allSatisfy { $0.appVersion == 1 }, "version 1 before the deploy", file: file, line: line)
        XCTAssertEqual(o.deploy["version_before"] as? Int, 1, file: file, line: line)
        XCTAssertEqual(o.deploy["version_after"] as? Int, 2, file: file, line: line)
        let cutover = o.deploy["cutover_ms"] as? Int
        XCTAssertNotNil(cutover, "the report has a cutover: \(o.deploy)", file: file, line: line)
        let last = o.own.filter { $0.status == 200 }.suffix(10)
        XCTAssertTrue(
            !last.isEmpty && last.allSatisfy { $0.appVersion == 2 }, "version 2 at the end: \(last.map(\.appVersion))",
            file: file, line: line)
        if let cutover {
            let lateOld = o.own.filter { $0.appVersion == 1 && $0.endMs > o.faultOwnMs + cutover + 500 }
            XCTAssertEqual(
                lateOld.count, 0, "own client got version 1 after the cutover (+\(cutover) ms)", file: file, line: line)
        }
    }

    /// gunicorn HUP behind nginx (through supervisorctl signal HUP): not one failed request, by
    /// the report, the own client and nginx's access log; the client sees version 2 take over.
    func testNginxGunicornSupervisordDeployDropsNothing() throws {
        let plot = NSTemporaryDirectory() + "stacktop-deploy-plot-\(getpid()).svg"
        defer { try? FileManager.default.removeItem(atPath: plot) }
        let o = try drill("nginx-gunicorn-supervisord", "deploy", extra: ["--plot", plot])
        XCTAssertEqual(o.status, 0, o.run.stderr)
        // --plot wrote the picture: the command marked, bars of both versions.
        let svg = (try? String(contentsOfFile: plot, encoding: .utf8)) ?? ""
        XCTAssertTrue(svg.contains("<line id=\"fault\" data-t=\"0\""), "plot: \(svg.prefix(300))")
        XCTAssertTrue(svg.contains("data-version=\"1\"") && svg.contains("data-version=\"2\""))
        XCTAssertFalse(svg.contains("class=\"failed\""), "no failure bars")
        XCTAssertEqual(o.failed, 0, "\(o.report["failures"] ?? "")")
        XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter)")
        let statuses = DrillTruth.frontStatuses(
            log: o.runDir + "/logs/front.access.log", untilWall: DrillTruth.wallSeconds)
        XCTAssertEqual(DrillTruth.serverErrors(statuses), 0, "access log: \(statuses)")
        XCTAssertGreaterThan(statuses[200, default: 0], 200)
        assertCutover(o)
        try? FileManager.default.removeItem(atPath: o.runDir)
    }

    /// The naive way: supervisorctl restart stops gunicorn, then starts it. Requests fail, and
    /// the report, the own client and nginx's access log all count 502s.
    func testNginxGunicornSupervisordRestartFailsRequests() throws {
        let o = try drill("nginx-gunicorn-supervisord", "restart-app")
        XCTAssertGreaterThan(o.failed, 0, "the restart's outage: \(o.report)")
        XCTAssertGreaterThan(o.ownFailedAfter.count, 0, "own client saw the outage too")
        let statuses = DrillTruth.frontStatuses(
            log: o.runDir + "/logs/front.access.log", untilWall: DrillTruth.wallSeconds)
        let report5xx = DrillRunProcess.counts(o.report["failures"]).filter { (Int($0.key) ?? 0) >= 500 }.values.reduce(
            0, +)
        let own5xx = o.ownFailedAfter.filter { ($0.status ?? 0) >= 500 }.count
        // Both clients hit the same ~0.5 s outage: the access log's 502s are theirs (a few may
        // fall outside a client's window at either edge).
        XCTAssertGreaterThan(report5xx, 0)
        XCTAssertGreaterThan(own5xx, 0)
        XCTAssertLessThanOrEqual(
            abs(DrillTruth.serverErrors(statuses) - (report5xx + own5xx)), max(3, (report5xx + own5xx) / 10),
            "access log 5xx \(statuses) vs report \(report5xx) + own \(own5xx)")
        XCTAssertEqual(o.deploy["command_failed"] as? Bool, false)
        XCTAssertTrue(
            (o.report["explanations"] as? [String] ?? []).contains { $0.contains("supervisor") },
            "supervisord's own words: \(o.report["explanations"] ?? "")")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }

    /// gunicorn alone: TTIN adds a worker, TTOU removes one, as ps shows while the stack runs.
    func testGunicornScaleUpAndDownShowInPs() throws {
        for (scenario, want) in [("scale-up", 3), ("scale-down", 1)] {
            var seen: [Int] = []
            let o = try drill("gunicorn", scenario) { run in
                let master = try XCTUnwrap(run.spawned().first { $0.role == "master" }?.pid)
                XCTAssertTrue(
                    TestProject.eventually(timeoutMs: 8_000) {
                        seen.append(Self.children(of: master).count)
                        return seen.last == want
                    }, "\(scenario): gunicorn master \(master) has \(seen.last ?? -1) children, want \(want)")
            }
            XCTAssertEqual(o.status, 0, o.run.stderr)
            XCTAssertEqual(o.failed, 0)
            XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter)")
            try? FileManager.default.removeItem(atPath: o.runDir)
        }
    }

    /// uWSGI behind nginx: the FIFO's `r` reloads with no failure and the new version answers;
    /// `+` adds a worker in manual cheaper mode, as ps shows. The reload stalls every request
    /// ~1.2 s in the socket's listen queue (backlog 100): both clients together stay well below
    /// it here (above it nginx answers 502, "connect() … failed (11: Resource temporarily unavailable)").
    func testNginxUWSGIDeployAndScaleUp() throws {
        let o = try drill("nginx-uwsgi", "deploy", rate: 20)
        XCTAssertEqual(o.status, 0, o.run.stderr)
        XCTAssertEqual(o.failed, 0, "\(o.report["failures"] ?? "")")
        XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter)")
        assertCutover(o)
        try? FileManager.default.removeItem(atPath: o.runDir)

        var seen = -1
        let up = try drill("nginx-uwsgi", "scale-up") { run in
            let master = try XCTUnwrap(run.spawned().first { $0.component == "app" && $0.role == "master" }?.pid)
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 8_000) {
                    seen = Self.children(of: master, marker: "uWSGI worker").count
                    return seen == 3
                }, "uWSGI master \(master) has \(seen) workers, want 3")
        }
        XCTAssertEqual(up.status, 0, up.run.stderr)
        try? FileManager.default.removeItem(atPath: up.runDir)
    }

    /// Apache + mod_wsgi: a graceful restart replaces the daemons and the new version takes
    /// over; whatever failed, the report, the own client and Apache's access log agree.
    func testApacheModWSGIDeployCutover() throws {
        let o = try drill("apache-mod-wsgi", "deploy", rate: 30)
        assertCutover(o)
        let statuses = DrillTruth.frontStatuses(
            log: o.runDir + "/logs/front.access.log", untilWall: DrillTruth.wallSeconds)
        let report5xx = DrillRunProcess.counts(o.report["failures"]).filter { (Int($0.key) ?? 0) >= 500 }.values.reduce(
            0, +)
        let own5xx = o.ownFailedAfter.filter { ($0.status ?? 0) >= 500 }.count
        XCTAssertLessThanOrEqual(
            abs(DrillTruth.serverErrors(statuses) - (report5xx + own5xx)), 3,
            "access log 5xx \(statuses) vs report \(report5xx) + own \(own5xx)")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }

    /// nginx-pool (gunicorn + uWSGI behind one nginx upstream): the deploy reloads both members,
    /// so the own client ends up answered by version 2 from each of them (nginx round-robins:
    /// a member left unreloaded would keep answering version 1).
    func testNginxPoolDeployReloadsEveryMember() throws {
        let o = try drill("nginx-pool", "deploy", rate: 20)
        XCTAssertEqual(o.status, 0, o.run.stderr)
        assertCutover(o)
        let members = Dictionary(o.run.spawned().map { ($0.pid, $0.component) }, uniquingKeysWith: { a, _ in a })
        let lateV2 = o.own.filter { $0.status == 200 && $0.appVersion == 2 && $0.endMs > o.doneOwnMs - 3_000 }
        let answering = Set(lateV2.compactMap { $0.workerPid.flatMap { members[$0] } })
        XCTAssertEqual(answering, ["gunicorn", "uwsgi"], "version 2 from both members: \(lateV2.map(\.workerPid))")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }

    /// waitress has no reload: refused before anything is launched, with the reason.
    func testWaitressReloadIsRefusedWithTheReason() throws {
        try DrillSkips.skipIfMissing("waitress")
        let run = try DrillRunProcess(["drill", "waitress", "--scenario", "reload-app"])
        XCTAssertEqual(run.wait(timeoutMs: 30_000), 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("waitress has no reload"), run.stderr)
        XCTAssertTrue(run.lines("stack").isEmpty, "nothing launched")
    }
}
