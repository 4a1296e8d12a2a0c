import Foundation
import XCTest

/// The recycle drill on real stacks: recycling turned on by a config rewrite and a reload, its
/// recycles held against the server's own log and the own client's view (more distinct worker
/// pids answered than there are workers), its failures against the own client's count.
extension DeployDrillTests {
    private func recycleDrill(_ topology: String, rate: Int = 100) throws -> Outcome {
        try drill(topology, "recycle", rate: rate)
    }

    /// Lines of `path` containing `marker`.
    private func lineCount(_ marker: String, in path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").filter {
            $0.contains(marker)
        }.count
    }

    private func recycle(_ o: Outcome) throws -> [String: Any] {
        try XCTUnwrap(o.report["recycle"] as? [String: Any], "a recycle section: \(o.report)")
    }

    /// Pids that answered the own client after the reload, beyond the workers a stack has.
    private func distinctWorkers(_ o: Outcome) -> Int {
        Set(o.own.filter { $0.endMs > o.faultOwnMs + 2_000 && $0.status == 200 }.compactMap(\.workerPid)).count
    }

    /// gunicorn alone: max_requests with jitter recycles workers without failing a request.
    func testGunicornRecyclesWithoutFailures() throws {
        let o = try recycleDrill("gunicorn")
        let r = try recycle(o)
        let config = (try? String(contentsOfFile: o.runDir + "/conf/app/gunicorn.conf.py", encoding: .utf8)) ?? ""
        XCTAssertFalse(config.contains("max_requests"), "the config is put back after the drill: \(config)")
        XCTAssertEqual(r["max_requests"] as? Int, 200)
        XCTAssertEqual(r["jitter"] as? Int, 50)
        let logged = lineCount("Autorestarting worker after current request", in: o.runDir + "/logs/app.out")
        let inLog = r["recycles_in_log"] as? Int ?? -1
        let inTree = r["recycles_in_tree"] as? Int ?? -1
        XCTAssertGreaterThan(inLog, 0, "\(r)")
        XCTAssertLessThanOrEqual(inLog, logged, "the report's window holds at most what gunicorn's log says in all")
        XCTAssertLessThanOrEqual(abs(inTree - inLog), 2, "ps and the log agree: tree \(inTree), log \(inLog)")
        XCTAssertGreaterThan(distinctWorkers(o), 2, "the own client was answered by more than gunicorn's 2 workers")
        XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter)")
        let recycling = try XCTUnwrap(r["recycling"] as? [String: Any])
        XCTAssertEqual((recycling["failures"] as? [String: Any])?.isEmpty, true, "\(recycling)")
        let ratio = try XCTUnwrap(r["throughput_ratio"] as? Double)
        XCTAssertGreaterThan(ratio, 0.5)
        XCTAssertLessThan(ratio, 1.5)
        // The capacity kept is a measurement (2 s closed-loop probes before and while recycling):
        // how much it costs is for the README's measured table, not a timed assertion on a shared
        // machine (a loaded run measured 1.21 once). Here: both probes answered and the ratio is theirs.
        let capacity = try XCTUnwrap(r["capacity_ratio"] as? Double, "\(r)")
        let before = try XCTUnwrap(
            ((r["capacity_before"] as? [String: Any])?["answered_per_s"] as? NSNumber)?.doubleValue, "\(r)")
        let during = try XCTUnwrap(
            ((r["capacity_while"] as? [String: Any])?["answered_per_s"] as? NSNumber)?.doubleValue, "\(r)")
        XCTAssertGreaterThan(before, 0)
        XCTAssertGreaterThan(during, 0)
        XCTAssertEqual(capacity, during / before, accuracy: 0.01, "capacity kept = while / before: \(r)")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }

    /// nginx + uWSGI: max-requests (with min-worker-lifetime 1) recycles workers; uWSGI's own
    /// "The work of process N is done" lines and ps agree, and the own client's failures match
    /// what nginx logged.
    func testNginxUWSGIRecyclesAndTheLogAgrees() throws {
        let o = try recycleDrill("nginx-uwsgi")
        let r = try recycle(o)
        let config = (try? String(contentsOfFile: o.runDir + "/conf/app/uwsgi.ini", encoding: .utf8)) ?? ""
        XCTAssertFalse(config.contains("max-requests"), "the config is put back after the drill: \(config)")
        let logged = lineCount("The work of process", in: o.runDir + "/logs/app.log")
        let inLog = r["recycles_in_log"] as? Int ?? -1
        let inTree = r["recycles_in_tree"] as? Int ?? -1
        XCTAssertGreaterThan(inLog, 0, "\(r)")
        XCTAssertLessThanOrEqual(inLog, logged)
        XCTAssertLessThanOrEqual(abs(inTree - inLog), 2, "ps and the log agree: tree \(inTree), log \(inLog)")
        XCTAssertGreaterThan(distinctWorkers(o), 2, "the own client was answered by more than uWSGI's 2 workers")
        let statuses = DrillTruth.frontStatuses(
            log: o.runDir + "/logs/front.access.log", untilWall: DrillTruth.wallSeconds)
        let own5xx = o.ownFailedAfter.filter { ($0.status ?? 0) >= 500 }.count
        XCTAssertLessThanOrEqual(
            own5xx, DrillTruth.serverErrors(statuses), "nginx logged every 5xx the own client got: \(statuses)")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }

    /// waitress cannot recycle: refused with the reason before anything is launched.
    func testWaitressRecycleIsRefused() throws {
        try DrillSkips.skipIfMissing("waitress")
        let run = try DrillRunProcess(["drill", "waitress", "--scenario", "recycle"])
        XCTAssertEqual(run.wait(timeoutMs: 30_000), 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("waitress has no max-requests"), run.stderr)
        XCTAssertTrue(run.lines("stack").isEmpty, "nothing launched")
    }

    /// nginx-pool (gunicorn + uWSGI behind nginx): recycle would recycle only the first member,
    /// so it is refused naming both, before anything is launched.
    func testPoolRecycleIsRefusedNamingEveryMember() throws {
        let run = try DrillRunProcess(["drill", "nginx-pool", "--scenario", "recycle"])
        XCTAssertEqual(run.wait(timeoutMs: 30_000), 2, run.stderr)
        XCTAssertTrue(
            run.stderr.contains("front balances a pool of 2 app servers (gunicorn (gunicorn), uwsgi (uwsgi))"),
            run.stderr)
        XCTAssertTrue(run.stderr.contains("target: gunicorn"), run.stderr)
        XCTAssertTrue(run.lines("stack").isEmpty, "nothing launched")
    }
}
