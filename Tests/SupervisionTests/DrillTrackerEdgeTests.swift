import StackModel
import StackRecipes
import XCTest
@testable import Supervision

/// The tracker's edges: a forced end, recovery that begins just inside or outside the timeout,
/// a report that no later input changes, and a drill whose fault never went out.
final class DrillTrackerEdgeTests: XCTestCase {
    typealias D = DrillFixture
    typealias A = Load.Answer

    /// A gunicorn worker killed at 3000 under supervisord, replaced at 3011 (started 3010);
    /// the replacement first gets a request scheduled at `firstToNew`.
    static func steps(firstToNew: Int, until: Int) -> [(Int, DrillSim.Step)] {
        let supervised = D.supervisedGunicorn
        let replacement = D.worker(405, of: 401, start: D.tick(3_010))
        return [
            (3_004, .observe(.exited(pid: 402, signal: 9, status: nil))),
            (3_011, .observe(.scanned(ProcessSnapshot(supervised.filter { $0.pid != 402 } + [replacement])))),
        ]
            + Load.requests(2_800, until) { s in
                if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                if s == 3_000 { return A(status: 502, latency: 4) }
                return .ok(s >= firstToNew ? Load.alternate([403, 405], s) : 403)
            }
    }

    func run(firstToNew: Int, until: Int) throws -> DrillSim {
        try DrillSim.run(
            D.scenario("kill-worker"), on: D.topology("nginx-gunicorn-supervisord"),
            processes: D.supervisedGunicorn, steps: Self.steps(firstToNew: firstToNew, until: until + 100),
            until: until)
    }

    func testForcedEndBeforeConfirmationSaysSo() throws {
        let sim = try run(firstToNew: 3_100, until: 3_700)
        let tracker = try XCTUnwrap(sim.tracker)
        XCTAssertNil(tracker.report, "the quiet second has not passed")
        XCTAssertEqual(tracker.deadlineMs, 3_155 + 1_000 + DrillTracker.confirmGraceMs, "when confirmation is due")
        let r = tracker.finish(nowMs: 3_700)
        XCTAssertFalse(r.recovered)
        XCTAssertNil(r.recoveredMs)
        XCTAssertEqual(
            r.stillWrong,
            ["whole again from +155 ms, but stopped at +700 ms, before 1000 ms without a failed request confirmed it"])
        XCTAssertEqual(r.endedMs, 700)
        XCTAssertEqual(r.firstServedByReplacementMs, 155)
    }

    func testForcedEndAfterTheQuietSecondIsARecovery() throws {
        let sim = try run(firstToNew: 3_100, until: 3_700)
        let r = try XCTUnwrap(sim.tracker).finish(nowMs: 5_000)
        XCTAssertTrue(r.recovered, "\(r.stillWrong)")
        XCTAssertEqual(r.recoveredMs, 155)
    }

    func testRecoveryBeginningJustInsideTheTimeoutIsConfirmedAfterIt() throws {
        // Requests alternate from 17_900 (to 403), so the replacement's first is scheduled at 17_950.
        let sim = try run(firstToNew: 17_900, until: 19_200)
        let r = try XCTUnwrap(sim.tracker?.report)
        XCTAssertTrue(r.recovered, "\(r.stillWrong)")
        XCTAssertEqual(r.recoveredMs, 14_955)
        XCTAssertEqual(r.endedMs, 14_955 + 1_000 + DrillTracker.confirmGraceMs)
    }

    func testRecoveryBeginningAfterTheTimeoutIsNone() throws {
        let sim = try run(firstToNew: 18_100, until: 19_200)
        let r = try XCTUnwrap(sim.tracker?.report)
        XCTAssertFalse(r.recovered)
        XCTAssertEqual(r.endedMs, 15_000)
        XCTAssertEqual(r.stillWrong, ["app worker 1 (pid 405, new) has not answered a request yet"])
    }

    func testTheReportIsFrozenOnceMade() throws {
        var sim = try run(firstToNew: 3_100, until: 4_400)
        let made = try XCTUnwrap(sim.tracker?.report)
        sim.tracker?.observe(DrillRequest(tMs: 4_500, scheduledMs: 4_450, status: 502))
        sim.feed(.exited(pid: 403, signal: 9, status: nil), at: 4_600)
        XCTAssertEqual(sim.tracker?.report, made)
        XCTAssertEqual(sim.tracker?.finish(nowMs: 9_000), made)
        XCTAssertNil(sim.tracker?.deadlineMs)
    }

    func testAFaultThatNeverWentOut() throws {
        let t = try D.topology("nginx-gunicorn-supervisord")
        var observer = StackObserver()
        _ = observer.handle(.scanned(ProcessSnapshot(D.supervisedGunicorn)), at: 0)
        let plan = try DrillPlan.resolve(D.scenario("kill-master"), topology: t, components: observer.components).get()
        var tracker = DrillTracker(plan: plan, topology: t.name, loadRps: 20, before: observer.components)
        tracker.observe(DrillRequest(tMs: 400, scheduledMs: 395, status: 200, workerPid: 402))
        XCTAssertNil(tracker.deadlineMs)
        let r = tracker.finish(nowMs: 500)
        XCTAssertEqual(r.stillWrong, ["the fault was never injected"])
        XCTAssertEqual(r.requests, 0, "requests before the fault are not the drill's")
        XCTAssertFalse(r.recovered)
        XCTAssertEqual(r.target, "app master (pid 401)")
    }

    /// 10,000 failing requests a second for the whole timeout: the tracker keeps up (a quadratic
    /// bookkeeping of failures would take minutes here) and counts every one.
    func testAFloodOfFailuresStaysCheap() throws {
        let t = try D.topology("nginx-gunicorn")
        var observer = StackObserver()
        _ = observer.handle(.scanned(ProcessSnapshot(D.plainGunicorn)), at: 0)
        _ = observer.handle(.tick, at: 2_999)
        let plan = try DrillPlan.resolve(D.scenario("kill-master"), topology: t, components: observer.components).get()
        var tracker = DrillTracker(plan: plan, topology: t.name, loadRps: 10_000, before: observer.components)
        tracker.faultInjected(atMs: 3_000, detail: "")
        let started = Date()
        var n = 0
        for ms in 3_000..<18_000 {
            for _ in 0..<10 {
                tracker.observe(DrillRequest(tMs: ms, scheduledMs: ms - 3, error: "refused"))
                n += 1
            }
            if ms % 50 == 0 { tracker.observe(components: observer.components, nowMs: ms) }
        }
        tracker.observe(components: observer.components, nowMs: 18_000)
        let r = try XCTUnwrap(tracker.report)
        XCTAssertEqual(r.failures, ["refused": n])
        XCTAssertEqual(n, 150_000)
        XCTAssertTrue(r.stillWrong.contains("9990 requests failed in the last second"), "\(r.stillWrong)")
        XCTAssertLessThan(
            Date().timeIntervalSince(started), 20, "150,000 requests in well under 20 s, even in a debug build")
    }

    /// The fault's time is read after kill() returns: the exit it caused, and the request that
    /// failed with it, can be stamped a millisecond earlier yet arrive after it. They count, at +0.
    func testAnExitStampedJustBeforeTheFaultCounts() throws {
        let t = try D.topology("nginx-gunicorn-supervisord")
        var observer = StackObserver()
        _ = observer.handle(.scanned(ProcessSnapshot(D.supervisedGunicorn)), at: 0)
        _ = observer.handle(.tick, at: 2_999)
        let plan = try DrillPlan.resolve(D.scenario("kill-worker"), topology: t, components: observer.components).get()
        var tracker = DrillTracker(plan: plan, topology: t.name, loadRps: 20, before: observer.components)
        tracker.observe(DrillRequest(tMs: 2_950, scheduledMs: 2_940, status: 502))
        tracker.faultInjected(atMs: 3_000, detail: "")
        for e in observer.handle(.exited(pid: 402, signal: 9, status: nil), at: 2_999) { tracker.observe(e) }
        tracker.observe(DrillRequest(tMs: 2_999, scheduledMs: 2_990, error: "reset", workerPid: nil))
        let r = tracker.finish(nowMs: 3_050)
        XCTAssertEqual(r.exitDetectedMs, 0)
        XCTAssertEqual(r.failures, ["reset": 1], "the 502 before the fault, replayed before it, is not the drill's")
        XCTAssertEqual(r.firstFailureMs, 0)
    }
}
