import StackRecipes
import XCTest
@testable import Supervision

/// The dashboard's view of the observer: trees, phases, restarts, orphans, deadlines.
final class StackObserverQueryTests: XCTestCase {
    typealias F = Fixture

    static let gWorker3 = F.p(103, parent: 100, start: 1_600, "app", .worker, depth: 1)

    func testReplacedWorkerIsRestartingThenUp() {
        var (observer, _) = F.run([
            (0, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
            (5_000, .exited(pid: 101, signal: 9, status: nil)),
            (5_011, F.scan(F.gMaster, F.gWorker2, Self.gWorker3)),
        ])
        let app = observer.component("app")
        XCTAssertEqual(app?.processes.map(\.pid), [100, 102, 103])
        XCTAssertEqual(app?.processes.map(\.phase), [.up, .up, .restarting])
        XCTAssertEqual(app?.processes.map(\.slot), [1, 2, 1])
        XCTAssertEqual(app?.processes.map(\.restarts), [0, 0, 1])
        XCTAssertEqual(app?.processes.map(\.firstSeenMs), [0, 0, 5_011])
        XCTAssertEqual(app?.restarts, 1)
        XCTAssertEqual(app?.isDown, false)
        XCTAssertEqual(observer.nextDeadline, 6_011)
        XCTAssertEqual(observer.handle(.tick, at: 6_011), [])
        XCTAssertEqual(observer.process(pid: 103)?.phase, .up)
        XCTAssertNil(observer.nextDeadline)
    }

    /// `components` groups in one pass what `component(_:)` filters per name: the same views, in
    /// the declared order, slots ordered by role name (front, helper, master, supervisor, worker).
    func testAllComponentsAtOnceAreEachComponentsView() {
        var (observer, _) = F.run([
            (0, F.scan(F.sup, F.sMaster, F.sWorker1, F.sWorker2, F.nMaster, F.nWorker1, F.nWorker2)),
            (1_000, .exited(pid: 402, signal: 9, status: nil)),
            (1_500, .exited(pid: 500, signal: 9, status: nil)),
        ])
        _ = observer.handle(.tick, at: 2_000)
        let all = observer.components
        XCTAssertEqual(all.map(\.name), ["supervisor", "app", "web"])
        XCTAssertEqual(all, ["supervisor", "app", "web"].compactMap { observer.component($0) })
        XCTAssertEqual(all.first { $0.name == "app" }?.slots.map(\.role), [.master, .worker, .worker])
        XCTAssertEqual(all.first { $0.name == "web" }?.slots.map(\.role), [.front, .worker, .worker])
        XCTAssertEqual(all.first { $0.name == "web" }?.isDown, true)
    }

    func testExitedWorkerWaitsThenIsGone() {
        var (observer, _) = F.run([
            (0, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
            (1_000, .exited(pid: 101, signal: 9, status: nil)),
        ])
        let slot = observer.component("app")?.slots.first { $0.pid == 101 }
        XCTAssertEqual(slot?.phase, .exited)
        XCTAssertEqual(slot?.lastExitMs, 1_000)
        XCTAssertEqual(slot?.parentPid, 100)
        XCTAssertEqual(observer.nextDeadline, 11_000)
        _ = observer.handle(.tick, at: 11_000)
        XCTAssertEqual(observer.component("app")?.slots.first { $0.pid == 101 }?.phase, .gone)
        XCTAssertEqual(observer.component("app")?.isDown, false, "a lost worker is not a down component")
    }

    func testNginxMasterKilledLeavesOrphansServingUnderADownFront() {
        let (observer, _) = F.run([
            (0, F.scan(F.nMaster, F.nWorker1, F.nWorker2)),
            (1_000, .exited(pid: 500, signal: 9, status: nil)),
            (
                1_100,
                F.scan(
                    F.reparented(F.nWorker1, to: 1),
                    F.reparented(F.nWorker2, to: 1))
            ),
        ])
        let web = observer.component("web")
        XCTAssertEqual(web?.isDown, true)
        XCTAssertEqual(web?.processes.map(\.pid), [501, 502])
        XCTAssertEqual(web?.processes.map(\.orphaned), [true, true])
        XCTAssertEqual(web?.processes.map(\.ppid), [1, 1])
        XCTAssertEqual(web?.slots.first { $0.isRoot }?.phase, .gone)
    }

    func testSupervisedMasterReplacedComponentNotDownOrphansListedLast() {
        let (observer, _) = F.run([
            (0, F.scan(F.sup, F.sMaster, F.sWorker1, F.sWorker2)),
            (1_000, .exited(pid: 401, signal: 9, status: nil)),
            (
                1_020,
                F.scan(
                    F.sup, F.p(404, parent: 400, start: 4_100, "app", .master, depth: 0),
                    F.reparented(F.sWorker1, to: 1), F.reparented(F.sWorker2, to: 1),
                    F.p(405, parent: 404, start: 4_110, "app", .worker, depth: 1))
            ),
        ])
        let app = observer.component("app")
        XCTAssertEqual(app?.isDown, false)
        XCTAssertEqual(app?.restarts, 1)
        XCTAssertEqual(app?.processes.map(\.pid), [404, 405, 402, 403])
        XCTAssertEqual(app?.processes.map(\.orphaned), [false, false, true, true])
        XCTAssertEqual(app?.slots.first { $0.role == .master }?.restarts, 1)
        XCTAssertEqual(app?.slots.first { $0.role == .master }?.pid, 404)
        XCTAssertEqual(observer.components.map(\.name), ["supervisor", "app"])
    }

    func testCrashLoopingSlotCalmsDownAfterAQuietWindow() {
        let settings = ObserverSettings(crashLoopExits: 2, crashLoopWindowMs: 5_000)
        var (observer, _) = F.run(
            [
                (0, F.scan(F.gMaster, F.gWorker1)),
                (100, .exited(pid: 101, signal: 9, status: nil)),
                (110, F.scan(F.gMaster, F.p(102, parent: 100, start: 1_050, "app", .worker, depth: 1))),
                (200, .exited(pid: 102, signal: 9, status: nil)),
                (210, F.scan(F.gMaster, F.p(103, parent: 100, start: 1_060, "app", .worker, depth: 1))),
            ], settings: settings)
        XCTAssertEqual(observer.process(pid: 103)?.phase, .crashLooping)
        XCTAssertEqual(observer.nextDeadline, 1_000, "the master settles first")
        XCTAssertEqual(observer.handle(.tick, at: 2_000), [])
        XCTAssertEqual(observer.process(pid: 100)?.phase, .up)
        XCTAssertEqual(observer.nextDeadline, 5_200)
        XCTAssertEqual(observer.handle(.tick, at: 5_199), [])
        XCTAssertEqual(observer.process(pid: 103)?.phase, .crashLooping)
        XCTAssertEqual(observer.handle(.tick, at: 5_200), [])
        XCTAssertEqual(observer.process(pid: 103)?.phase, .up)
        XCTAssertEqual(observer.process(pid: 103)?.restarts, 2)
    }

    func testStoppedSlotsAndDeclaredOrder() {
        var observer = StackObserver(components: ["web", "app"])
        _ = observer.handle(F.scan(F.gMaster, F.gWorker1), at: 0)
        _ = observer.handle(.stopping(component: "app"), at: 100)
        _ = observer.handle(.exited(pid: 101, signal: nil, status: 0), at: 200)
        XCTAssertEqual(observer.components.map(\.name), ["web", "app"])
        XCTAssertEqual(observer.component("web")?.processes, [])
        XCTAssertEqual(observer.component("app")?.isStopping, true)
        XCTAssertEqual(observer.component("web")?.isStopping, false)
        XCTAssertEqual(observer.component("app")?.slots.first { $0.pid == 101 }?.phase, .stopped)
        XCTAssertNil(observer.component("nope"))
    }

    func testPidReuseKeepsTheNewStartTime() {
        let (observer, _) = F.run([
            (0, F.scan(F.gMaster, F.gWorker1)),
            (2_000, F.scan(F.gMaster, F.p(101, parent: 100, start: 1_700, "app", .worker, depth: 1))),
        ])
        XCTAssertEqual(observer.process(pid: 101)?.startTime, 1_700)
        XCTAssertEqual(observer.process(pid: 101)?.firstSeenMs, 2_000)
        XCTAssertEqual(observer.process(pid: 101)?.restarts, 1)
    }

    func testRoleFromRecipeRule() {
        let rule = RoleRule(root: .master, helperMarkers: ["uWSGI http"])
        let cases: [(depth: Int, cmd: String, role: ProcessRole)] = [
            (0, "uWSGI master", .master),
            (1, "uWSGI worker 1", .worker),
            (1, "uWSGI http 1", .helper),
        ]
        for c in cases {
            let facts = ProcessFacts(pid: 7, ppid: 1, depth: c.depth, commandLine: c.cmd, command: "uwsgi", uid: 0)
            let p = ObservedProcess(facts: facts, startTime: 9, component: "app", rule: rule)
            XCTAssertEqual(p.role, c.role, c.cmd)
            XCTAssertEqual(p.identity, ProcessIdentity(pid: 7, startTime: 9))
        }
    }

    func testEventsAsJSONLines() {
        let (_, events) = F.run([
            (0, F.scan(F.gMaster, F.gWorker1)),
            (5_000, .exited(pid: 101, signal: 9, status: nil)),
            (5_011, F.scan(F.gMaster, Self.gWorker3)),
        ])
        XCTAssertEqual(
            events.suffix(2).map(\.jsonLine),
            [
                #"{"t_ms":5011,"type":"spawned","component":"app","role":"worker","pid":103,"ppid":100}"#,
                #"{"t_ms":5011,"type":"replaced","component":"app","role":"worker","pid":103,"old_pid":101,"new_pid":103,"gap_ms":11}"#,
            ])
    }
}
